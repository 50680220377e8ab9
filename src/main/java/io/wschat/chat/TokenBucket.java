package io.wschat.chat;

import java.time.Clock;

/**
 * A token bucket: holds up to {@code capacity} tokens and gains {@code perSecond} of them each
 * second. Time comes from the given clock, so tests can drive it without sleeping.
 * Not thread-safe; each connection's frames arrive one at a time.
 */
public final class TokenBucket {

    private final Clock clock;
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long lastRefill;

    public TokenBucket(Clock clock, double perSecond, double capacity) {
        this.clock = clock;
        this.capacity = capacity;
        this.perMilli = perSecond / 1000.0;
        this.tokens = capacity;
        this.lastRefill = clock.millis();
    }

    /** Takes one token if there is one. */
    public boolean tryTake() {
        long now = clock.millis();
        if (now > lastRefill) {
            tokens = Math.min(capacity, tokens + (now - lastRefill) * perMilli);
            lastRefill = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
