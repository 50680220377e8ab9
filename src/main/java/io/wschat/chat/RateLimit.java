package io.wschat.chat;

import java.time.Clock;

/**
 * A connection's inbound rate limit: {@code messagesPerSecond} with bursts up to {@code burst}.
 * Frames over the limit are dropped; a connection that keeps going gets more than
 * {@code maxDropped} frames dropped (forgiven at one per second) and counts as abusive.
 */
final class RateLimit {

    /** {@code ABUSE} is answered once, by closing; frames still arriving before the close are {@code IGNORE}d. */
    enum Verdict { ACCEPT, DROP, ABUSE, IGNORE }

    private final TokenBucket messages;
    private final TokenBucket allowedDrops;
    private boolean abusive;

    RateLimit(Clock clock, int messagesPerSecond, int burst, int maxDropped) {
        this.messages = new TokenBucket(clock, messagesPerSecond, burst);
        this.allowedDrops = new TokenBucket(clock, 1, maxDropped);
    }

    synchronized Verdict check() {
        if (abusive) {
            return Verdict.IGNORE;
        }
        if (messages.tryTake()) {
            return Verdict.ACCEPT;
        }
        if (allowedDrops.tryTake()) {
            return Verdict.DROP;
        }
        abusive = true;
        return Verdict.ABUSE;
    }
}
