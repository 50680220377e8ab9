package io.wschat.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;

import io.wschat.chat.Broadcast;
import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.ProtocolCodec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a room's messages to local members in sequence order, without gaps, whatever order
 * they arrive in. Every broker, the local one included, delivers through one of these.
 *
 * <p>Why it is needed: nothing orders publishes. Two threads of one instance, or two instances,
 * may store seq 5 and seq 6 and publish 6 first (sending takes no lock; the store's row lock
 * only orders the numbers). A member drops a message whose seq is not above the last one it was
 * sent (that is how a live copy of a history message is ignored), so handing it 6 and then 5
 * would lose 5.
 *
 * <p>How: per room with local members this keeps the last seq delivered. The next one in line
 * is delivered at once, followed by any held successors. One that arrives early is held;
 * if the gap is still open after {@code reorderWait} (or too many are held), the missing
 * range is read from the shared {@link MessageStore}, which must have it: the store commits
 * seq N before it hands out N + 1, and a message is published only after it is stored. What is
 * read is encoded here, exactly as its publisher would have. A message at or below the last
 * delivered seq is a repeat and dropped. The same read catches up whenever something says the
 * room's history reaches further than what was delivered ({@link #headAt}, {@link #catchUpAll}).
 * Other broadcasts (presence, typing) carry no seq and pass straight through.
 *
 * <p>Each room has its own lock, held while its broadcasts are handed to the listener; the
 * store is never read under it.
 */
final class RoomSequencer {

    private static final Logger log = LoggerFactory.getLogger(RoomSequencer.class);
    private static final int FILL_BATCH = 1000;

    private static final class Room {
        final TreeMap<Long, Broadcast> held = new TreeMap<>();
        long lastDelivered;
        ScheduledFuture<?> fill;

        Room(long lastDelivered) {
            this.lastDelivered = lastDelivered;
        }
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final MessageStore store;
    private final ProtocolCodec codec;
    private final ScheduledExecutorService scheduler;
    private final long reorderWaitMillis;
    private final int maxHeld;
    private final Counter unrecoverable;
    private volatile MessageBroker.Listener listener;

    RoomSequencer(MessageStore store, ProtocolCodec codec, ScheduledExecutorService scheduler, Duration reorderWait,
                  int maxHeld, Counter unrecoverable) {
        this.store = store;
        this.codec = codec;
        this.scheduler = scheduler;
        this.reorderWaitMillis = reorderWait.toMillis();
        this.maxHeld = maxHeld;
        this.unrecoverable = unrecoverable;
    }

    void start(MessageBroker.Listener listener) {
        this.listener = listener;
    }

    /** Starts following a room; messages up to the store's current last seq count as delivered (the joining member reads them as history). */
    void open(String room) {
        rooms.put(room, new Room(store.lastSeq(room)));
    }

    void close(String room) {
        Room state = rooms.remove(room);
        if (state != null) {
            synchronized (state) {
                cancelFill(state);
                state.held.clear();
            }
        }
    }

    boolean isOpen(String room) {
        return rooms.containsKey(room);
    }

    void accept(Broadcast broadcast) {
        Room state = rooms.get(broadcast.room());
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (broadcast.sequenced()) {
                offer(broadcast.room(), state, broadcast);
            } else {
                listener.onBroadcast(broadcast);
            }
        }
    }

    /** Another instance says the room's history reaches {@code seq}: fetch whatever this instance has not delivered. */
    void headAt(String room, long seq) {
        Room state = rooms.get(room);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (seq > state.lastDelivered) {
                scheduleFill(room, state, 0);
            }
        }
    }

    /**
     * The store says the room's history reaches {@code seq} (a {@link PositionCheck}): if this
     * instance is behind, read the rest after the reorder wait, which a publish still on its
     * way cancels by arriving.
     */
    void checkHead(String room, long seq) {
        Room state = rooms.get(room);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (seq > state.lastDelivered) {
                scheduleFill(room, state, reorderWaitMillis);
            }
        }
    }

    /** Reads every followed room's messages after its last delivered one: after a Redis outage, some were never received. */
    void catchUpAll() {
        rooms.forEach((room, state) -> {
            synchronized (state) {
                scheduleFill(room, state, 0);
            }
        });
    }

    List<String> openRooms() {
        return List.copyOf(rooms.keySet());
    }

    private void offer(String room, Room state, Broadcast message) {
        long seq = message.seq();
        if (seq <= state.lastDelivered) {
            return;
        }
        if (seq == state.lastDelivered + 1) {
            deliver(state, message);
            drainHeld(state);
            return;
        }
        state.held.put(seq, message);
        log.debug("room '{}': seq {} arrived before {}, holding it", room, seq, state.lastDelivered + 1);
        scheduleFill(room, state, state.held.size() > maxHeld ? 0 : reorderWaitMillis);
    }

    private void deliver(Room state, Broadcast message) {
        state.lastDelivered = message.seq();
        listener.onBroadcast(message);
    }

    private void drainHeld(Room state) {
        while (!state.held.isEmpty()) {
            long first = state.held.firstKey();
            if (first <= state.lastDelivered) {
                state.held.pollFirstEntry();
            } else if (first == state.lastDelivered + 1) {
                deliver(state, state.held.pollFirstEntry().getValue());
            } else {
                return;
            }
        }
        cancelFill(state);
    }

    private void scheduleFill(String room, Room state, long delayMillis) {
        if (state.fill != null && delayMillis > 0) {
            return;
        }
        cancelFill(state);
        try {
            state.fill = scheduler.schedule(() -> fill(room, state), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("room '{}': not filling a gap, the instance is shutting down", room);
        }
    }

    private static void cancelFill(Room state) {
        if (state.fill != null) {
            state.fill.cancel(false);
            state.fill = null;
        }
    }

    /** Reads the missing range outside the room's lock (the store may be a database), then delivers under it. */
    private void fill(String room, Room state) {
        long after;
        synchronized (state) {
            state.fill = null;
            if (rooms.get(room) != state) {
                return;
            }
            after = state.lastDelivered;
        }
        List<ChatMessage> missing;
        try {
            missing = store.after(room, after, FILL_BATCH);
        } catch (RuntimeException e) {
            log.warn("room '{}': could not read messages after seq {} from the store, retrying: {}", room, after, e.toString());
            synchronized (state) {
                scheduleFill(room, state, Math.max(reorderWaitMillis, 100));
            }
            return;
        }
        synchronized (state) {
            if (rooms.get(room) != state) {
                return;
            }
            for (ChatMessage stored : missing) {
                if (stored.seq() > state.lastDelivered) {
                    skipTo(room, state, stored.seq());
                    deliver(state, codec.broadcast(stored));
                }
            }
            if (missing.size() == FILL_BATCH) {
                scheduleFill(room, state, 0);
            } else if (!state.held.isEmpty()) {
                skipTo(room, state, state.held.firstKey());
            }
            drainHeld(state);
        }
    }

    /** The store lacks seqs below {@code next} (it trimmed them): give up on them rather than stall the room. */
    private void skipTo(String room, Room state, long next) {
        long lost = next - state.lastDelivered - 1;
        if (lost > 0) {
            log.warn("room '{}': seq {} to {} are in no store and were skipped", room, state.lastDelivered + 1, next - 1);
            unrecoverable.increment(lost);
            state.lastDelivered = next - 1;
        }
    }
}
