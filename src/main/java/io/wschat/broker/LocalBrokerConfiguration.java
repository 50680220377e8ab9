package io.wschat.broker;

import io.micrometer.core.instrument.MeterRegistry;

import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.Presence;
import io.wschat.chat.ProtocolCodec;
import io.wschat.game.GameRelay;
import io.wschat.game.LocalGameRelay;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One instance on its own ({@code chat.broker.type=local}, the default): broker, presence and games in memory. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chat.broker.type", havingValue = "local", matchIfMissing = true)
class LocalBrokerConfiguration {

    @Bean
    MessageBroker localMessageBroker(MessageStore store, ProtocolCodec codec, BrokerProperties properties,
                                     MeterRegistry registry) {
        var shards = new DeliveryShards("local-deliver", DeliveryShards.forThisMachine(), properties.deliveryQueue(),
                BrokerMeters.deliveryQueueFull(registry));
        return new LocalMessageBroker(store, codec, properties.reorderWait(), properties.maxHeldPerRoom(), shards,
                BrokerMeters.unrecoverable(registry));
    }

    @Bean
    GameRelay localGameRelay() {
        return new LocalGameRelay();
    }

    @Bean
    Presence localPresence() {
        return new LocalPresence();
    }
}
