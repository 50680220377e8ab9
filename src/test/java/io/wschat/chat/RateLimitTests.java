package io.wschat.chat;

import java.time.Duration;

import io.wschat.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTests {

    private final MutableClock clock = new MutableClock();

    @Test
    void acceptsABurstThenDropsUntilTokensRefill() {
        RateLimit limit = new RateLimit(clock, 20, 40, 100);
        for (int i = 0; i < 40; i++) {
            assertThat(limit.check()).as("frame %d of the burst", i).isEqualTo(RateLimit.Verdict.ACCEPT);
        }
        assertThat(limit.check()).isEqualTo(RateLimit.Verdict.DROP);
        clock.advance(Duration.ofMillis(50));
        assertThat(limit.check()).as("one token per 50 ms at 20/s").isEqualTo(RateLimit.Verdict.ACCEPT);
        assertThat(limit.check()).isEqualTo(RateLimit.Verdict.DROP);
    }

    @Test
    void aSteadySenderAtTheRateIsNeverDropped() {
        RateLimit limit = new RateLimit(clock, 20, 1, 1);
        for (int i = 0; i < 1000; i++) {
            clock.advance(Duration.ofMillis(50));
            assertThat(limit.check()).isEqualTo(RateLimit.Verdict.ACCEPT);
        }
    }

    @Test
    void tooManyDropsIsAbuseReportedOnceThenIgnored() {
        RateLimit limit = new RateLimit(clock, 20, 2, 3);
        limit.check();
        limit.check();
        for (int i = 0; i < 3; i++) {
            assertThat(limit.check()).isEqualTo(RateLimit.Verdict.DROP);
        }
        assertThat(limit.check()).isEqualTo(RateLimit.Verdict.ABUSE);
        clock.advance(Duration.ofMinutes(1));
        assertThat(limit.check()).isEqualTo(RateLimit.Verdict.IGNORE);
    }

    @Test
    void dropsAreForgivenAtOnePerSecond() {
        RateLimit limit = new RateLimit(clock, 1, 1, 2);
        limit.check();
        assertThat(limit.check()).isEqualTo(RateLimit.Verdict.DROP);
        assertThat(limit.check()).isEqualTo(RateLimit.Verdict.DROP);
        clock.advance(Duration.ofMillis(999));
        assertThat(limit.check()).as("no message token yet, and no drop left: still within the second").isEqualTo(RateLimit.Verdict.ABUSE);
        RateLimit forgiving = new RateLimit(clock, 1, 1, 2);
        forgiving.check();
        forgiving.check();
        forgiving.check();
        clock.advance(Duration.ofMillis(1000));
        assertThat(forgiving.check()).isEqualTo(RateLimit.Verdict.ACCEPT);
        assertThat(forgiving.check()).as("one drop forgiven after a second").isEqualTo(RateLimit.Verdict.DROP);
    }
}
