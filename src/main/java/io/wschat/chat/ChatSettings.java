package io.wschat.chat;

/**
 * The core's tunables, handed in by the application's configuration.
 *
 * @param historyOnJoin            how many recent messages a {@code welcome} carries when the client asks for none
 * @param maxRecovery              the most missed messages sent after {@code since}; beyond that, the newest ones and {@code truncated}
 * @param maxHistoryPage           the largest {@code limit} a {@code history} command may ask for
 * @param maxHistoryChars          the most characters of encoded messages one {@code welcome} or {@code history} event
 *                                 carries, so it fits the connection's outbound buffer; older ones are left out
 * @param maxPendingDuringRecovery live events held for a joining client while its history is sent
 */
public record ChatSettings(int historyOnJoin, int maxRecovery, int maxHistoryPage, long maxHistoryChars,
                           int maxPendingDuringRecovery) {
}
