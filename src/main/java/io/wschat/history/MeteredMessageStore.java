package io.wschat.history;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;

/** Times every store call as {@code chat.store.latency}, tagged {@code op=append|read|prune}. */
final class MeteredMessageStore implements MessageStore, AutoCloseable {

    static final String LATENCY = "chat.store.latency";

    private final MessageStore delegate;
    private final Timer append;
    private final Timer read;
    private final Timer prune;

    MeteredMessageStore(MessageStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.append = timer(registry, "append");
        this.read = timer(registry, "read");
        this.prune = timer(registry, "prune");
    }

    private static Timer timer(MeterRegistry registry, String op) {
        return Timer.builder(LATENCY).description("Time spent in the message store").tag("op", op).register(registry);
    }

    @Override
    public Appended append(NewMessage message) {
        return append.record(() -> delegate.append(message));
    }

    @Override
    public List<ChatMessage> after(String room, long afterSeq, int limit) {
        return read.record(() -> delegate.after(room, afterSeq, limit));
    }

    @Override
    public List<ChatMessage> before(String room, long beforeSeq, int limit) {
        return read.record(() -> delegate.before(room, beforeSeq, limit));
    }

    @Override
    public long lastSeq(String room) {
        return read.record(() -> delegate.lastSeq(room));
    }

    @Override
    public Map<String, Long> lastSeqs(Collection<String> rooms) {
        return read.record(() -> delegate.lastSeqs(rooms));
    }

    @Override
    public List<RoomSeq> rooms(String afterRoom, int limit) {
        return read.record(() -> delegate.rooms(afterRoom, limit));
    }

    @Override
    public int prune(String room, long keepNewest, long olderThanMillis, int limit) {
        return prune.record(() -> delegate.prune(room, keepNewest, olderThanMillis, limit));
    }

    @Override
    public int forgetCids(long olderThanMillis, int limit) {
        return prune.record(() -> delegate.forgetCids(olderThanMillis, limit));
    }

    /** Closes the store when it holds resources (the database store's writer); Spring calls this on shutdown. */
    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
