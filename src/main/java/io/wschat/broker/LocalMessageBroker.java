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
 * The single-instance broker: a publish goes straight to this instance's {@link RoomSequencer},
 * the same one the Redis broker feeds from its subscription, so a room's messages reach members
 * in sequence order even when concurrent senders publish them out of order. Delivery runs on
 * the publishing thread (fan-out only queues frames); the sequencer's reorder waits and gap
 * reads from the local store run on one small scheduler of its own.
 */
final class LocalMessageBroker implements MessageBroker, AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final RoomSequencer sequencer;

    LocalMessageBroker(MessageStore store, ProtocolCodec codec, Duration reorderWait, int maxHeldPerRoom,
                       Counter unrecoverable) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("local-broker-"));
        this.sequencer = new RoomSequencer(store, codec, scheduler, reorderWait, maxHeldPerRoom, unrecoverable);
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
        sequencer.accept(broadcast);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
