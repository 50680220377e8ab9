package io.wschat.game;

import java.util.List;

/** What a tick can bring about besides motion; each is delivered reliably, in order, to every player. */
public sealed interface GameEvent {

    record RoundStarted(int round) implements GameEvent {
    }

    /** {@code scores} best first; the first is the winner unless the round ended without points. */
    record RoundEnded(int round, List<Score> scores) implements GameEvent {
    }

    record Score(int id, String name, int score) {
    }
}
