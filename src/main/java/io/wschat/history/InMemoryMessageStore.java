package io.wschat.history;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;

/** History kept in memory, the newest {@code maxPerRoom} messages of each room; lost on restart. */
public final class InMemoryMessageStore implements MessageStore {

    private static final class RoomLog {
        final Deque<ChatMessage> messages = new ArrayDeque<>();
        long lastSeq;
    }

    private final Map<String, RoomLog> rooms = new ConcurrentHashMap<>();
    private final int maxPerRoom;
    private final Clock clock;

    public InMemoryMessageStore(int maxPerRoom, Clock clock) {
        this.maxPerRoom = maxPerRoom;
        this.clock = clock;
    }

    @Override
    public ChatMessage append(NewMessage m) {
        RoomLog log = rooms.computeIfAbsent(m.room(), r -> new RoomLog());
        synchronized (log) {
            ChatMessage stored = new ChatMessage(m.room(), ++log.lastSeq, m.fromId(), m.from(), m.text(),
                    clock.millis(), m.cid(), m.data());
            log.messages.addLast(stored);
            if (log.messages.size() > maxPerRoom) {
                log.messages.removeFirst();
            }
            return stored;
        }
    }

    @Override
    public List<ChatMessage> after(String room, long afterSeq, int limit) {
        RoomLog log = rooms.get(room);
        List<ChatMessage> result = new ArrayList<>();
        if (log == null) {
            return result;
        }
        synchronized (log) {
            for (ChatMessage m : log.messages) {
                if (m.seq() > afterSeq && result.size() < limit) {
                    result.add(m);
                }
            }
        }
        return result;
    }

    @Override
    public List<ChatMessage> before(String room, long beforeSeq, int limit) {
        RoomLog log = rooms.get(room);
        List<ChatMessage> result = new ArrayList<>();
        if (log == null) {
            return result;
        }
        synchronized (log) {
            Iterator<ChatMessage> newestFirst = log.messages.descendingIterator();
            while (newestFirst.hasNext() && result.size() < limit) {
                ChatMessage m = newestFirst.next();
                if (m.seq() < beforeSeq) {
                    result.add(0, m);
                }
            }
        }
        return result;
    }

    @Override
    public long lastSeq(String room) {
        RoomLog log = rooms.get(room);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.lastSeq;
        }
    }
}
