package io.wschat.history;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;

/**
 * History kept in memory, for benchmarks and tests: at most the newest {@code maxPerRoom}
 * messages of each room, all lost on restart.
 */
public final class InMemoryMessageStore implements MessageStore {

    private static final class RoomLog {
        final Deque<ChatMessage> messages = new ArrayDeque<>();
        /** By (sender, cid); a pruned message takes its cid with it. */
        final Map<SenderCid, ChatMessage> byCid = new HashMap<>();
        final Map<Long, SenderCid> cidBySeq = new HashMap<>();
        long lastSeq;

        void removeOldest() {
            ChatMessage removed = messages.removeFirst();
            SenderCid key = cidBySeq.remove(removed.seq());
            if (key != null) {
                byCid.remove(key);
            }
        }
    }

    private record SenderCid(String sender, String cid) {
    }

    private final ConcurrentSkipListMap<String, RoomLog> rooms = new ConcurrentSkipListMap<>();
    private final int maxPerRoom;
    private final Clock clock;

    public InMemoryMessageStore(int maxPerRoom, Clock clock) {
        this.maxPerRoom = maxPerRoom;
        this.clock = clock;
    }

    @Override
    public Appended append(NewMessage m) {
        RoomLog log = rooms.computeIfAbsent(m.room(), r -> new RoomLog());
        synchronized (log) {
            SenderCid key = m.cid() == null ? null : new SenderCid(m.sender(), m.cid());
            ChatMessage original = key == null ? null : log.byCid.get(key);
            if (original != null) {
                return new Appended(original, true);
            }
            ChatMessage stored = new ChatMessage(m.room(), ++log.lastSeq, m.fromId(), m.from(), m.text(),
                    clock.millis(), m.cid(), m.data());
            log.messages.addLast(stored);
            if (key != null) {
                log.byCid.put(key, stored);
                log.cidBySeq.put(stored.seq(), key);
            }
            if (log.messages.size() > maxPerRoom) {
                log.removeOldest();
            }
            return new Appended(stored, false);
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
                if (result.size() == limit) {
                    break;
                }
                if (m.seq() > afterSeq) {
                    result.add(m);
                }
            }
        }
        return result;
    }

    @Override
    public List<ChatMessage> before(String room, long beforeSeq, int limit) {
        RoomLog log = rooms.get(room);
        List<ChatMessage> newestFirst = new ArrayList<>();
        if (log == null) {
            return newestFirst;
        }
        synchronized (log) {
            Iterator<ChatMessage> it = log.messages.descendingIterator();
            while (it.hasNext() && newestFirst.size() < limit) {
                ChatMessage m = it.next();
                if (m.seq() < beforeSeq) {
                    newestFirst.add(m);
                }
            }
        }
        Collections.reverse(newestFirst);
        return newestFirst;
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

    @Override
    public List<RoomSeq> rooms(String afterRoom, int limit) {
        List<RoomSeq> result = new ArrayList<>();
        for (String room : rooms.tailMap(afterRoom, false).keySet()) {
            if (result.size() == limit) {
                break;
            }
            result.add(new RoomSeq(room, lastSeq(room)));
        }
        return result;
    }

    @Override
    public int prune(String room, long keepNewest, long olderThanMillis, int limit) {
        RoomLog log = rooms.get(room);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            int deleted = 0;
            while (deleted < limit && !log.messages.isEmpty()) {
                ChatMessage oldest = log.messages.peekFirst();
                if (oldest.seq() > log.lastSeq - keepNewest && oldest.ts() >= olderThanMillis) {
                    break;
                }
                log.removeOldest();
                deleted++;
            }
            return deleted;
        }
    }

    @Override
    public int forgetCids(long olderThanMillis, int limit) {
        int forgotten = 0;
        for (RoomLog log : rooms.values()) {
            synchronized (log) {
                Iterator<ChatMessage> it = log.byCid.values().iterator();
                while (it.hasNext() && forgotten < limit) {
                    ChatMessage m = it.next();
                    if (m.ts() < olderThanMillis) {
                        it.remove();
                        log.cidBySeq.remove(m.seq());
                        forgotten++;
                    }
                }
            }
        }
        return forgotten;
    }
}
