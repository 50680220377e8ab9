package io.wschat.api;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRateLimiterTests {

    private final AtomicLong now = new AtomicLong();

    @Test
    void allowsABurstThenTheRate() {
        var limiter = new RequestRateLimiter(1, 2, 100, now::get);
        assertThat(limiter.tryAcquire("a", 1)).isTrue();
        assertThat(limiter.tryAcquire("a", 1)).isTrue();
        assertThat(limiter.tryAcquire("a", 1)).isFalse();
        assertThat(limiter.tryAcquire("b", 1)).as("another key has its own bucket").isTrue();
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.tryAcquire("a", 1)).isTrue();
        assertThat(limiter.tryAcquire("a", 1)).isFalse();
    }

    @Test
    void boundsTheNumberOfKeysAndForgetsOnlyRefilledOnes() {
        var limiter = new RequestRateLimiter(1, 1, 2, now::get);
        assertThat(limiter.tryAcquire("a", 1)).isTrue();
        assertThat(limiter.tryAcquire("b", 1)).isTrue();
        assertThat(limiter.tryAcquire("c", 1)).as("both buckets are in use").isFalse();
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.tryAcquire("c", 1)).isTrue();
    }
}
