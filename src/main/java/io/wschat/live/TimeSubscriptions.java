package io.wschat.live;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.wschat.chat.ErrorCode;
import io.wschat.chat.ProtocolException;
import io.wschat.chat.ServerEvent;

/**
 * The classic "send the time every few seconds": each subscriber gets a {@code time} event at
 * once and then every interval, from a periodic task on the shared scheduler (no thread of its own).
 * One subscription per owner; subscribing again changes the interval and restarts the counter.
 */
final class TimeSubscriptions {

    private final ScheduledExecutorService scheduler;
    private final LiveProperties.Time settings;
    private final Clock clock;
    private final Map<String, ScheduledFuture<?>> subscriptions = new ConcurrentHashMap<>();

    TimeSubscriptions(ScheduledExecutorService scheduler, LiveProperties.Time settings, Clock clock) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.clock = clock;
    }

    void subscribe(String owner, Integer intervalMillis, Consumer<ServerEvent.Time> sink) {
        long interval = intervalMillis == null ? settings.interval().toMillis() : intervalMillis;
        long min = settings.minInterval().toMillis();
        long max = settings.maxInterval().toMillis();
        if (interval < min || interval > max) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'intervalMs' must be between " + min + " and " + max
                    + ", was " + interval);
        }
        AtomicLong counter = new AtomicLong();
        Runnable tick = () -> sink.accept(new ServerEvent.Time(clock.millis(), counter.incrementAndGet()));
        subscriptions.compute(owner, (o, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return scheduler.scheduleAtFixedRate(tick, 0, interval, TimeUnit.MILLISECONDS);
        });
    }

    void unsubscribe(String owner) {
        ScheduledFuture<?> subscription = subscriptions.remove(owner);
        if (subscription != null) {
            subscription.cancel(false);
        }
    }

    int subscriptions() {
        return subscriptions.size();
    }
}
