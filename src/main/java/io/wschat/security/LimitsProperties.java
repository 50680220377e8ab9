package io.wschat.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.wschat.chat.ChatSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much one client, one room and the whole server may take ({@code chat.limits.*}).
 * Every limit can be turned off with 0.
 *
 * @param rate                   per-connection inbound rate limit
 * @param connectionsPerAddress  open WebSocket connections from one client address; the excess handshake gets 429
 * @param maxConnections         open WebSocket connections in total; the excess handshake gets 503. 0 leaves only
 *                               the cap derived from the heap ({@link Heap}), which always applies
 * @param heap                   how the heap-derived cap on connections is computed
 * @param echo                   what {@code /echo} and {@code /} may take, so that they cannot fill the server for {@code /chat}
 * @param maxRooms               rooms this instance holds; entering a new room beyond it gets {@code too_many_rooms}
 * @param maxMembersPerRoom      members one room may have; entering a full room gets {@code room_full}
 */
@ConfigurationProperties("chat.limits")
@Validated
public record LimitsProperties(
        @DefaultValue @Valid Rate rate,
        @DefaultValue("100") @Min(0) int connectionsPerAddress,
        @DefaultValue("0") @Min(0) int maxConnections,
        @DefaultValue @Valid Heap heap,
        @DefaultValue @Valid Echo echo,
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

    /**
     * The server refuses new WebSocket connections (503 {@code server_full}) once they would take
     * more heap than it has: at most {@code (max heap - reserved - headroom% of max heap) / per-connection}
     * connections, whatever {@code max-connections} says.
     *
     * @param perConnection heap one open connection costs, with headroom: heap histograms measured about
     *                      10 KB on an idle {@code /echo} connection with the small container buffers (38 KB with
     *                      Tomcat's 8 KB defaults), 12–13 KB on an idle chat member (10,000 in rooms of 200) and
     *                      15–17 KB on a game player receiving state (2,000 in games of 50 and 100); a busy one
     *                      also holds its queued frames
     * @param reserved      heap the application needs for itself apart from connections (about 30 MB
     *                      live after start-up), with room for the history cache and bursts
     * @param headroomPercent share of the heap kept free so that collections stay short under load
     */
    public record Heap(
            @DefaultValue("20KB") @NotNull DataSize perConnection,
            @DefaultValue("40MB") @NotNull DataSize reserved,
            @DefaultValue("10") @Min(0) @Max(90) int headroomPercent) {

        public Heap {
            if (perConnection != null && perConnection.toBytes() < 1024) {
                throw new IllegalArgumentException("chat.limits.heap.per-connection must be at least 1KB, not " + perConnection);
            }
        }

        /** The most connections {@code maxHeap} bytes can hold; below 1 means the heap is too small. */
        public long connectionsFor(long maxHeap) {
            long forConnections = maxHeap - reserved.toBytes() - maxHeap / 100 * headroomPercent;
            return forConnections / perConnection.toBytes();
        }
    }

    /**
     * @param maxConnections open connections to {@code /echo} and {@code /} together (they also count
     *                       towards the total); the excess handshake gets 503 {@code echo_full}; 0 turns the cap off
     * @param rate           per-connection inbound rate limit; a connection beyond it is closed with 1008
     */
    public record Echo(
            @DefaultValue("1000") @Min(0) int maxConnections,
            @DefaultValue @Valid EchoRate rate) {
    }

    /**
     * @param messagesPerSecond frames one echo connection may send per second on average (token bucket); 0 turns the limit off
     * @param burst             frames it may send at once; covers one comparison run on a fresh connection
     *                          ({@code chat.compare.max-exchanges} plus {@code chat.compare.warmup})
     */
    public record EchoRate(
            @DefaultValue("100") @Min(0) int messagesPerSecond,
            @DefaultValue("1200") @Min(1) int burst) {
    }

    /** The limits the chat core enforces itself. */
    public ChatSettings.Limits chatLimits() {
        return new ChatSettings.Limits(rate.messagesPerSecond(), rate.burst(), rate.maxDropped(), maxRooms, maxMembersPerRoom);
    }
}
