package io.wschat.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import io.wschat.chat.ChatSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much one client, one room and the whole server may take ({@code chat.limits.*}).
 * Every limit can be turned off with 0.
 *
 * @param rate                   per-connection inbound rate limit
 * @param connectionsPerAddress  open WebSocket connections from one client address; the excess handshake gets 429
 * @param maxConnections         open WebSocket connections in total; the excess handshake gets 503
 * @param maxRooms               rooms this instance holds; entering a new room beyond it gets {@code too_many_rooms}
 * @param maxMembersPerRoom      members one room may have; entering a full room gets {@code room_full}
 */
@ConfigurationProperties("chat.limits")
@Validated
public record LimitsProperties(
        @DefaultValue @Valid Rate rate,
        @DefaultValue("100") @Min(0) int connectionsPerAddress,
        @DefaultValue("8000") @Min(0) int maxConnections,
        @DefaultValue("10000") @Min(0) int maxRooms,
        @DefaultValue("1000") @Min(0) int maxMembersPerRoom) {

    /**
     * @param messagesPerSecond frames one connection may send per second on average (token bucket); 0 turns the limit off
     * @param burst             frames it may send at once
     * @param maxDropped        frames dropped as {@code rate_limited}, forgiven at one per second, before the connection is closed with 1008
     */
    public record Rate(
            @DefaultValue("20") @Min(0) int messagesPerSecond,
            @DefaultValue("40") @Min(1) int burst,
            @DefaultValue("40") @Min(1) int maxDropped) {
    }

    /** The limits the chat core enforces itself. */
    public ChatSettings.Limits chatLimits() {
        return new ChatSettings.Limits(rate.messagesPerSecond(), rate.burst(), rate.maxDropped(), maxRooms, maxMembersPerRoom);
    }
}
