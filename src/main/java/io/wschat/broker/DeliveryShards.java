package io.wschat.broker;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A few delivery threads, each owning the rooms whose names hash to it (as centrifuge's hub
 * shards do): a room's broadcasts run one after another in the order they were handed over,
 * different rooms run in parallel, and the thread that published (a socket's receive thread,
 * holding a room's join lock for a presence event) never runs a fan-out itself.
 *
 * <p>Each shard's queue is bounded; a broadcast that finds it full is dropped and counted. A
 * dropped message is read from the store by the room's sequencer once a later one reveals the gap.
 */
final class DeliveryShards implements AutoCloseable {

    private final ThreadPoolExecutor[] shards;

    DeliveryShards(String name, int count, int queuePerShard, Counter queueFull) {
        this.shards = new ThreadPoolExecutor[count];
        for (int i = 0; i < count; i++) {
            shards[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queuePerShard),
                    new CustomizableThreadFactory(name + "-" + i + "-"), (task, executor) -> queueFull.increment());
        }
    }

    /** The number of shards for this machine: one per core, at most four (a fan-out is short; more threads only contend). */
    static int forThisMachine() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    void execute(String room, Runnable delivery) {
        shards[Math.floorMod(room.hashCode(), shards.length)].execute(delivery);
    }

    @Override
    public void close() {
        for (ThreadPoolExecutor shard : shards) {
            shard.shutdown();
        }
    }
}
