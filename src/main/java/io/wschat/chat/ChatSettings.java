package io.wschat.chat;

/**
 * The core's tunables, handed in by the application's configuration.
 *
 * @param historyOnJoin            how many recent messages a {@code welcome} carries when the client asks for none
 * @param maxRecovery              the most missed messages sent after {@code since}; beyond that, the newest ones and {@code truncated}
 * @param maxPendingDuringRecovery live events held for a joining client while its history is sent
 */
public record ChatSettings(int historyOnJoin, int maxRecovery, int maxPendingDuringRecovery) {
}
