package io.wschat.chat;

import java.time.Duration;

/**
 * The core's tunables, handed in by the application's configuration.
 *
 * @param historyOnJoin            how many recent messages a {@code welcome} carries when the client asks for none
 * @param maxRecovery              the most missed messages sent after {@code since}; beyond that, the newest ones and {@code truncated}
 * @param maxHistoryPage           the largest {@code limit} a {@code history} command may ask for
 * @param maxHistoryChars          the most characters of encoded messages one {@code welcome} or {@code history} event
 *                                 carries, so it fits the connection's outbound buffer; older ones are left out
 * @param maxPendingDuringRecovery live events held for a joining client while its history is sent
 * @param welcomeMembers           the most members a {@code welcome} lists, the largest page of the {@code members} command,
 *                                 and the most changes one batched {@code presence} event carries
 * @param presenceBatchAbove       rooms with more members than this get their presence changes batched ({@link PresenceBatches})
 * @param presenceBatchWindow      how long such a room's change waits for the changes after it
 * @param limits                   rate and capacity limits
 */
public record ChatSettings(int historyOnJoin, int maxRecovery, int maxHistoryPage, long maxHistoryChars,
                           int maxPendingDuringRecovery, int welcomeMembers, int presenceBatchAbove,
                           Duration presenceBatchWindow, Limits limits) {

    /**
     * @param messagesPerSecond frames a connection may send per second on average; 0 turns the rate limit off
     * @param burst             frames a connection may send at once before the rate applies
     * @param maxDropped        frames dropped for the rate limit (forgiven at one per second) before the connection is closed with 1008
     * @param maxRooms          rooms this instance holds at once; 0 for no limit
     * @param maxMembersPerRoom members one room may have; 0 for no limit
     */
    public record Limits(int messagesPerSecond, int burst, int maxDropped, int maxRooms, int maxMembersPerRoom) {
    }
}
