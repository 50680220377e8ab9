package io.wschat.compare;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP-versus-WebSocket comparison ({@code chat.compare.*}).
 *
 * @param maxExchanges         the most exchanges per mode one server-side run may do
 * @param maxPayloadBytes      the largest payload the echo endpoint and a run accept
 * @param warmup               unmeasured exchanges per mode before a server-side run measures
 * @param timeout              how long one exchange or connection may take in a server-side run
 * @param echoRequestsPerSecond requests per second one client address may make to {@code /api/compare/echo}
 * @param echoBurst            requests one address may make at once; must cover a whole run (two HTTP modes)
 * @param runsPerMinute        server-side runs one address may start per minute; only one runs at a time anyway
 */
@ConfigurationProperties("chat.compare")
@Validated
public record CompareProperties(
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxExchanges,
        @DefaultValue("1024") @Min(1) @Max(65_536) int maxPayloadBytes,
        @DefaultValue("100") @Min(0) @Max(10_000) int warmup,
        @DefaultValue("5s") @NotNull Duration timeout,
        @DefaultValue("500") @Min(1) int echoRequestsPerSecond,
        @DefaultValue("5000") @Min(1) int echoBurst,
        @DefaultValue("6") @Min(1) int runsPerMinute) {

    public CompareProperties {
        if (echoBurst < 2 * (maxExchanges + warmup)) {
            throw new IllegalArgumentException("chat.compare.echo-burst (" + echoBurst + ") must be at least twice"
                    + " chat.compare.max-exchanges + warmup (" + 2 * (maxExchanges + warmup)
                    + "), or a server-side run would rate-limit itself");
        }
    }
}
