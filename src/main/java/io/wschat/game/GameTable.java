package io.wschat.game;

/** Where a player's inputs go: the {@link Game} itself on its owner, a {@link MirrorGame} on any other instance. */
interface GameTable {

    String name();

    /** Judges (or forwards) one input of {@code player}; {@code claimedPlayer} is the player the input names, if any. */
    void input(GamePlayer player, Integer claimedPlayer, StateCodec.ParsedInput input);

    /** Answers a refused input of {@code player} with an {@code error} event, throttled per kind. */
    void refused(GamePlayer player, InputVerdict verdict);
}
