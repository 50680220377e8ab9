package io.wschat.broker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Counter;

import io.wschat.chat.Broadcast;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.ProtocolCodec;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The single-instance broker: a publish goes to this instance's {@link RoomSequencer}, the same
 * one the Redis broker feeds from its subscription, so a room's messages reach members in
 * sequence order even when concurrent senders publish them out of order. As with Redis, the
 * publishing thread only hands the broadcast over: the sequencer and the fan-out run on the
 * room's {@link DeliveryShards delivery shard}, so a sender (or a join holding its room's lock)
 * never waits for a fan-out to a large room. The sequencer's reorder waits and gap reads from
 * the local store run on one small scheduler of its own.
 */
final class LocalMessageBroker implements MessageBroker, AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final RoomSequencer sequencer;
    private final DeliveryShards shards;

    LocalMessageBroker(MessageStore store, ProtocolCodec codec, Duration reorderWait, int maxHeldPerRoom,
                       DeliveryShards shards, Counter unrecoverable) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("local-broker-"));
        this.sequencer = new RoomSequencer(store, codec, scheduler, reorderWait, maxHeldPerRoom, unrecoverable);
        this.shards = shards;
    }

    @Override
    public void start(Listener listener) {
        sequencer.start(listener);
    }

    @Override
    public void subscribe(String room) {
        sequencer.open(room);
    }

    @Override
    public void unsubscribe(String room) {
        sequencer.close(room);
    }

    @Override
    public void publish(Broadcast broadcast) {
        shards.execute(broadcast.room(), () -> sequencer.accept(broadcast));
    }

    @Override
    public void close() {
        shards.close();
        scheduler.shutdownNow();
    }
}
