package io.wschat.game;

import java.util.List;

/**
 * One game as the lobby lists it; {@code secondsLeft} is what remains of the round or the
 * intermission, {@code tick} the newest tick the game has sent its players.
 */
public record GameInfo(String name, List<String> players, int round, boolean intermission, int secondsLeft, int tick) {
}
