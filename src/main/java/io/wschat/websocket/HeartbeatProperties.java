package io.wschat.websocket;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How dead peers are found ({@code chat.heartbeat.*}).
 *
 * @param interval    how often every connection is sent a WebSocket ping
 * @param idleTimeout a connection that sent neither a pong nor a message for this long is closed with 4001
 */
@ConfigurationProperties("chat.heartbeat")
@Validated
public record HeartbeatProperties(
        @DefaultValue("25s") @NotNull Duration interval,
        @DefaultValue("60s") @NotNull Duration idleTimeout) {

    public HeartbeatProperties {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("chat.heartbeat.interval must be positive");
        }
        if (interval != null && idleTimeout != null && idleTimeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("chat.heartbeat.idle-timeout (" + idleTimeout
                    + ") must be longer than chat.heartbeat.interval (" + interval + "), or live clients would be closed between pings");
        }
    }
}
