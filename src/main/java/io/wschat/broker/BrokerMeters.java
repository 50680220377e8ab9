package io.wschat.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The Redis broker's own meters; the chat core's counts are bound in {@code system}. */
record BrokerMeters(Timer publishLatency, Timer lag, Counter publishFallbacks, Counter deliveryQueueFull,
                    Counter unrecoverable) {

    static BrokerMeters register(MeterRegistry registry) {
        return new BrokerMeters(
                Timer.builder("chat.broker.publish")
                        .description("Time to publish one event to Redis")
                        .publishPercentileHistogram()
                        .register(registry),
                Timer.builder("chat.broker.lag")
                        .description("Time from an event's publish (publisher's clock) to its arrival for local delivery")
                        .publishPercentileHistogram()
                        .register(registry),
                Counter.builder("chat.broker.local.fallbacks")
                        .description("Events delivered to local members only, because Redis was unreachable or the publish queue full")
                        .register(registry),
                deliveryQueueFull(registry),
                unrecoverable(registry));
    }

    /** Broadcasts dropped because a delivery queue was full; a dropped message is later read from the store. */
    static Counter deliveryQueueFull(MeterRegistry registry) {
        return dropped(registry, "delivery-queue-full");
    }

    /** Messages a sequencer gave up on because no store had them any more; every broker counts them. */
    static Counter unrecoverable(MeterRegistry registry) {
        return dropped(registry, "unrecoverable");
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("chat.deliveries.dropped")
                .description("Events that did not reach local members")
                .tag("reason", reason)
                .register(registry);
    }
}
