package io.wschat.system;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import tools.jackson.databind.ObjectMapper;

import io.wschat.broker.BrokerProperties;
import io.wschat.chat.ChatService;
import io.wschat.chat.ChatSettings;
import io.wschat.chat.LiveUpdates;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.Presence;
import io.wschat.chat.ProtocolCodec;
import io.wschat.chat.Rejections;
import io.wschat.chat.RoomHub;
import io.wschat.chat.RoomPublisher;
import io.wschat.history.HistoryProperties;
import io.wschat.security.LimitsProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Assembles the transport-agnostic chat core from its ports and the configured limits. */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {

    /** Live events held for one joining client while its history is read and sent. */
    private static final int MAX_PENDING_DURING_RECOVERY = 10_000;

    /**
     * Takes the broker settings so they are bound and validated before any adapter is chosen:
     * a wrong {@code chat.broker.type} then fails with its validation message, not as a missing bean.
     */
    ChatConfiguration(BrokerProperties brokerProperties) {
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ProtocolCodec protocolCodec(ObjectMapper mapper, ChatProperties properties) {
        return new ProtocolCodec(mapper, properties.maxTextLength());
    }

    @Bean
    RoomHub roomHub() {
        return new RoomHub();
    }

    @Bean
    RoomPublisher roomPublisher(MessageBroker broker, ProtocolCodec codec) {
        return new RoomPublisher(broker, codec);
    }

    @Bean
    ChatService chatService(MessageStore store, MessageBroker broker, RoomPublisher publisher, Presence presence, RoomHub hub,
                            ProtocolCodec codec, ChatProperties properties, HistoryProperties history,
                            LimitsProperties limits, Clock clock, Rejections rejections, LiveUpdates live,
                            ScheduledExecutorService presenceScheduler) {
        // Half the outbound buffer: a welcome or history page must never by itself close its client as slow.
        ChatSettings settings = new ChatSettings(properties.historyOnJoin(), history.maxRecovery(), history.maxPage(),
                properties.outbound().bufferLimit().toBytes() / 2, MAX_PENDING_DURING_RECOVERY, properties.welcomeMembers(),
                properties.presence().batchAbove(), properties.presence().batchWindow(), limits.chatLimits());
        return new ChatService(store, broker, publisher, presence, hub, codec, settings, clock, rejections, live,
                presenceScheduler);
    }

    /** Sends the presence changes gathered for large rooms; one thread, it only hands events to the broker. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService presenceScheduler() {
        return Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("presence-batches-"));
    }
}
