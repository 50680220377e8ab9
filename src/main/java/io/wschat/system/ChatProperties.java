package io.wschat.system;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The chat's limits and defaults ({@code chat.*}).
 *
 * @param defaultRoom   the room a client enters when it names none
 * @param maxTextLength the longest chat message text, in characters
 * @param maxFrameSize  the largest text frame accepted; a larger one closes the connection with 1009
 * @param historyOnJoin how many recent messages {@code welcome} carries
 * @param welcomeMembers how many members {@code welcome} lists (the first to join); larger rooms say how many there are
 *                       and the client pages the rest with the {@code members} command, at most this many per page
 * @param outbound      per-connection send limits
 * @param presence      how the presence changes of large rooms are batched
 * @param permessageDeflate whether to accept the compression extension browsers offer ({@code permessage-deflate},
 *                      RFC 7692); off, because it costs each connection about 90 KiB of native memory
 */
@ConfigurationProperties("chat")
@Validated
public record ChatProperties(
        @DefaultValue("lobby") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") String defaultRoom,
        @DefaultValue("4000") @Min(1) int maxTextLength,
        @DefaultValue("64KB") @NotNull DataSize maxFrameSize,
        @DefaultValue("50") @Min(0) @Max(1000) int historyOnJoin,
        @DefaultValue("100") @Min(1) @Max(1000) int welcomeMembers,
        @DefaultValue @Valid Outbound outbound,
        @DefaultValue @Valid Presence presence,
        @DefaultValue("false") boolean permessageDeflate) {

    public ChatProperties {
        if (maxFrameSize != null && maxTextLength > maxFrameSize.toBytes()) {
            throw new IllegalArgumentException("chat.max-text-length (" + maxTextLength
                    + ") must not exceed chat.max-frame-size (" + maxFrameSize.toBytes() + " bytes)");
        }
    }

    /**
     * @param bufferLimit   frames queued for one client, counted in characters, before it is closed as a slow consumer (4000)
     * @param sendTimeLimit how long one frame may take to reach a client before it is closed as a slow consumer (4000)
     */
    public record Outbound(
            @DefaultValue("1MB") @NotNull DataSize bufferLimit,
            @DefaultValue("10s") @NotNull Duration sendTimeLimit) {

        public Outbound {
            if (sendTimeLimit != null && sendTimeLimit.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("chat.outbound.send-time-limit (" + sendTimeLimit
                        + ") must be at least 100ms: a frame needs time to cross the network");
            }
        }
    }

    /**
     * @param batchAbove  a room with more members than this gets its presence changes several to an event,
     *                    instead of one event per change (a room of N forming at once is otherwise N² frames)
     * @param batchWindow how long a change in such a room waits for the changes after it
     */
    public record Presence(
            @DefaultValue("100") @Min(0) int batchAbove,
            @DefaultValue("250ms") @NotNull Duration batchWindow) {

        public Presence {
            if (batchWindow != null && (batchWindow.compareTo(Duration.ofMillis(10)) < 0 || batchWindow.compareTo(Duration.ofSeconds(5)) > 0)) {
                throw new IllegalArgumentException("chat.presence.batch-window (" + batchWindow
                        + ") must be between 10ms and 5s: long enough to gather a burst of joins, short enough that members see them soon");
            }
        }
    }
}
