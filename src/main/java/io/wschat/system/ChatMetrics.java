package io.wschat.system;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.wschat.chat.ChatService;
import io.wschat.chat.RoomHub;

import org.springframework.stereotype.Component;

/** This instance's chat counts as meters (the Redis broker registers its own publish and lag timers). */
@Component
class ChatMetrics implements MeterBinder {

    private final ChatService chat;
    private final RoomHub hub;

    ChatMetrics(ChatService chat, RoomHub hub) {
        this.chat = chat;
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("chat.connections", hub, RoomHub::localMembers)
                .description("Open /chat connections on this instance")
                .register(registry);
        Gauge.builder("chat.rooms", hub, RoomHub::localRooms)
                .description("Rooms with at least one member on this instance")
                .register(registry);
        FunctionCounter.builder("chat.messages.in", chat, ChatService::messagesIn)
                .description("Chat messages accepted from this instance's clients")
                .register(registry);
        FunctionCounter.builder("chat.deliveries.out", hub, RoomHub::deliveries)
                .description("Events queued to this instance's clients")
                .register(registry);
        FunctionCounter.builder("chat.deliveries.dropped", hub, RoomHub::droppedDeliveries)
                .description("Events that did not reach local members")
                .tag("reason", "slow-consumer")
                .register(registry);
    }
}
