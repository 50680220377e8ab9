package io.wschat.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One lock per room, held only while some thread uses it, so no two rooms ever share one.
 *
 * <p>A room's membership changes (join, leave, rename) run under its lock: they decide whether
 * this instance subscribes to the room and publish presence in the order members changed. Those
 * steps may wait on the store or on Redis; with a lock per room such a wait delays that room's
 * joins alone. Messages take no lock at all: the store orders their sequence numbers and the
 * broker's sequencer restores that order on receipt.
 */
final class RoomLocks {

    private static final class Lock {
        int users;
    }

    private final Map<String, Lock> locks = new ConcurrentHashMap<>();

    /** Runs {@code action} holding {@code room}'s lock. */
    <T> T withLock(String room, Supplier<T> action) {
        // compute() only counts users (no I/O in it); the wait for the lock itself is outside the map.
        Lock lock = locks.compute(room, (r, existing) -> {
            Lock l = existing == null ? new Lock() : existing;
            l.users++;
            return l;
        });
        try {
            synchronized (lock) {
                return action.get();
            }
        } finally {
            locks.computeIfPresent(room, (r, l) -> --l.users == 0 ? null : l);
        }
    }

    void withLock(String room, Runnable action) {
        withLock(room, () -> {
            action.run();
            return null;
        });
    }
}
