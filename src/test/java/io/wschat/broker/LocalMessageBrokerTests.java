package io.wschat.broker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.ProtocolCodec;

class LocalMessageBrokerTests extends MessageBrokerContract {

    private LocalMessageBroker local;

    @Override
    protected MessageBroker createBroker(MessageStore store, ProtocolCodec codec, MessageBroker.Listener listener) {
        var registry = new SimpleMeterRegistry();
        local = new LocalMessageBroker(store, codec, REORDER_WAIT, 1000,
                new DeliveryShards("test-deliver", 2, 10_000, BrokerMeters.deliveryQueueFull(registry)),
                BrokerMeters.unrecoverable(registry));
        local.start(listener);
        return local;
    }

    @Override
    protected void closeBrokers() {
        local.close();
    }
}
