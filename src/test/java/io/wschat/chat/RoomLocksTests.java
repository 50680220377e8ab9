package io.wschat.chat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoomLocksTests {

    private final RoomLocks locks = new RoomLocks();

    /** Holds {@code room}'s lock on another thread until {@code release} opens; returns once it is held. */
    private CompletableFuture<Void> hold(String room, CountDownLatch release) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> locks.withLock(room, () -> {
            held.countDown();
            try {
                // Longer than any wait below, so a lock shared by mistake shows as a timeout there.
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    @Test
    void aRoomWaitingOnSlowWorkNeverHoldsUpAnotherRoomEvenWithTheSameHash() throws Exception {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> slow = hold("Aa", release);
        CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> locks.withLock("BB", () -> "done"));
        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        release.countDown();
        slow.get(10, TimeUnit.SECONDS);
    }

    @Test
    void oneRoomsChangesRunOneAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = hold("room", release);
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> locks.withLock("room", () -> "second"));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
        release.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("second");
        first.get(10, TimeUnit.SECONDS);
    }
}
