package io.wschat.game;

/** Where the games report what they do, so the application can measure it; implementations must be cheap and never block. */
public interface GameMeters {

    /** One tick of one game took {@code nanos}: simulation, encoding and queueing to every player. */
    void tick(long nanos);

    /** A state frame body was encoded: a full snapshot or a delta of {@code bytes} (binary or, when no player is binary, JSON). */
    void encoded(boolean full, int bytes);

    /** A state update replaced one a client had not been written yet. */
    void conflated();

    /** An input was refused; {@code reason} is a {@link InputVerdict#code()}. */
    void inputRefused(String reason);

    /** The owner published one tick's state for the mirrors of a game on other instances. */
    default void stateRelayed() {
    }

    /** A mirror forwarded one of its players' inputs to the game's owner. */
    default void inputRelayed() {
    }

    GameMeters NONE = new GameMeters() {
        @Override
        public void tick(long nanos) {
        }

        @Override
        public void encoded(boolean full, int bytes) {
        }

        @Override
        public void conflated() {
        }

        @Override
        public void inputRefused(String reason) {
        }
    };
}
