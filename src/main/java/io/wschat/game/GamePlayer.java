package io.wschat.game;

import java.util.EnumMap;
import java.util.Map;

import io.wschat.chat.ClientConnection;

/** One connection playing one game: its player id, its wire format, and the last state it acknowledged. */
public final class GamePlayer {

    private final ClientConnection connection;
    private final GameTable game;
    /** Set once: at the join on the game's owner, or when the owner answers a mirror's join (0 until then). */
    private volatile int id;
    private final String name;
    private final boolean binary;
    /** The newest state tick the client said it holds; deltas are computed against it. Guarded by the game's lock. */
    int ackedTick;
    /** The tick each kind of refusal was last answered, so a flood of bad inputs earns one error per second, not one each. */
    final Map<InputVerdict, Integer> lastAnswered = new EnumMap<>(InputVerdict.class);

    GamePlayer(ClientConnection connection, GameTable game, int id, String name, boolean binary) {
        this.connection = connection;
        this.game = game;
        this.id = id;
        this.name = name;
        this.binary = binary;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String game() {
        return game.name();
    }

    public boolean binary() {
        return binary;
    }

    ClientConnection connection() {
        return connection;
    }

    GameTable owner() {
        return game;
    }

    void seated(int id) {
        this.id = id;
    }
}
