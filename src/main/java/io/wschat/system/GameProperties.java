package io.wschat.system;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.wschat.game.GameRules;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The game at {@code /game} ({@code chat.game.*}). Distances are arena units.
 *
 * @param tickRate        simulation steps (and state updates) per second
 * @param tickThreads     threads that tick all games of this instance; a slow game holds one of them
 * @param maxPlayers      players one game holds; the next one is refused with 503 {@code game_full}
 * @param roundLength     how long a round is played
 * @param intermission    the pause between rounds, while the scores are shown
 * @param arenaSize       the side of the square arena
 * @param speed           how far a player moves per second at full stick
 * @param playerRadius    a player's radius
 * @param coinRadius      a coin's radius
 * @param coins           coins on the field at once
 * @param maxQueuedInputs inputs a player may have waiting; more are refused with {@code input_rate}
 * @param ownerLease      with several instances ({@code chat.broker.type=redis}): how long the instance running a game
 *                        holds it without renewing (it renews three times per lease), and how long players on other
 *                        instances wait for a silent owner before their game ends with {@code game.ended} and 1012
 */
@ConfigurationProperties("chat.game")
@Validated
public record GameProperties(
        @DefaultValue("20") @Min(1) @Max(120) int tickRate,
        @DefaultValue("2") @Min(1) @Max(64) int tickThreads,
        @DefaultValue("100") @Min(1) @Max(65534) int maxPlayers,
        @DefaultValue("60s") @NotNull Duration roundLength,
        @DefaultValue("5s") @NotNull Duration intermission,
        @DefaultValue("1000") @Min(100) @Max(65535) int arenaSize,
        @DefaultValue("300") @Min(1) int speed,
        @DefaultValue("20") @Min(1) int playerRadius,
        @DefaultValue("12") @Min(1) int coinRadius,
        @DefaultValue("8") @Min(0) @Max(255) int coins,
        @DefaultValue("4") @Min(1) @Max(64) int maxQueuedInputs,
        @DefaultValue("3s") @NotNull Duration ownerLease) {

    public GameProperties {
        if (roundLength != null && intermission != null && tickRate >= 1 && tickRate <= 120) {
            long roundTicks = roundLength.toMillis() * tickRate / 1000;
            long pauseTicks = intermission.toMillis() * tickRate / 1000;
            if (roundTicks < 1 || roundTicks > 65535 || pauseTicks < 1 || pauseTicks > 65535) {
                throw new IllegalArgumentException("chat.game.round-length and chat.game.intermission must each last"
                        + " between one tick and 65535 ticks (at chat.game.tick-rate=" + tickRate + ": "
                        + (65535 / tickRate) + "s)");
            }
            if (ownerLease != null && (ownerLease.compareTo(Duration.ofMillis(300)) < 0 || ownerLease.compareTo(Duration.ofMinutes(1)) > 0)) {
                throw new IllegalArgumentException("chat.game.owner-lease (" + ownerLease + ") must be between 300ms and 1m:"
                        + " shorter, a Redis hiccup ends games; longer, players wait that long when their game's instance dies");
            }
            if (4L * playerRadius >= arenaSize) {
                throw new IllegalArgumentException("chat.game.player-radius (" + playerRadius
                        + ") must be less than a quarter of chat.game.arena-size (" + arenaSize + ")");
            }
        }
    }

    public GameRules rules() {
        return new GameRules(tickRate, arenaSize, speed, playerRadius, coinRadius, coins,
                (int) (roundLength.toMillis() * tickRate / 1000), (int) (intermission.toMillis() * tickRate / 1000),
                maxQueuedInputs, maxPlayers);
    }
}
