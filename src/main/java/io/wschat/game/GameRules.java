package io.wschat.game;

/**
 * The rules every game of this server plays by; distances are arena units (the arena is a
 * square of {@code arenaSize} units), times are ticks.
 *
 * @param tickRate          simulation steps per second; state is sent once per tick
 * @param arenaSize         the arena's side, in units
 * @param speed             how far a player at full stick moves per second, in units
 * @param playerRadius      a player's radius; two players closer than twice this push each other apart
 * @param coinRadius        a coin's radius; a player touching one scores a point and the coin moves
 * @param coins             coins on the field at once
 * @param roundTicks        how long a round is played
 * @param intermissionTicks the pause between rounds, while the last round's scores are shown
 * @param maxQueuedInputs   inputs a player may have waiting for the next ticks; more are refused as too fast
 * @param maxPlayers        players one game holds
 */
public record GameRules(int tickRate, int arenaSize, int speed, int playerRadius, int coinRadius, int coins,
                        int roundTicks, int intermissionTicks, int maxQueuedInputs, int maxPlayers) {

    /** Inputs carry a direction per axis in this range, so they fit a signed byte on the wire. */
    public static final int MAX_STICK = 100;
    /** Ids, coordinates, scores and tick counters of a phase travel as unsigned 16-bit numbers. */
    static final int MAX_U16 = 0xFFFF;

    public GameRules {
        require(tickRate >= 1 && tickRate <= 120, "tick rate must be between 1 and 120 per second");
        require(arenaSize >= 100 && arenaSize <= MAX_U16, "arena size must be between 100 and 65535 units");
        require(playerRadius >= 1 && coinRadius >= 1 && 4 * playerRadius < arenaSize, "radii must be positive and fit the arena");
        require(speed >= 1, "speed must be positive");
        require(coins >= 0 && coins <= 255, "coins must be between 0 and 255");
        require(roundTicks >= 1 && roundTicks <= MAX_U16 && intermissionTicks >= 1 && intermissionTicks <= MAX_U16,
                "a round and an intermission must each last between 1 and 65535 ticks");
        require(maxQueuedInputs >= 1, "at least one input must be allowed to wait");
        require(maxPlayers >= 1 && maxPlayers < MAX_U16, "max players must be between 1 and 65534");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
