package io.wschat.security;

import java.time.Duration;

import io.wschat.support.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRateLimiterTests {

    private final MutableClock clock = new MutableClock();

    @Test
    void allowsABurstThenTheRate() {
        var limiter = new RequestRateLimiter(1, 2, 100, clock);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.tryAcquire("b")).as("another key has its own bucket").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
    }

    @Test
    void boundsTheNumberOfKeysAndForgetsOnlyRefilledOnes() {
        var limiter = new RequestRateLimiter(1, 1, 2, clock);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("b")).isTrue();
        assertThat(limiter.tryAcquire("c")).as("both buckets are in use").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("c")).isTrue();
    }
}
