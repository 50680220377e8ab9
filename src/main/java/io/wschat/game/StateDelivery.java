package io.wschat.game;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Sends each player of one instance the state of a tick as a delta against the snapshot it
 * acknowledged, encoded once per base and shared, through the connection's latest-value slot.
 * The owner of a game and every mirror of it deliver the same way, so a player's frames do not
 * depend on the instance it is connected to. Guarded by the lock of the game or mirror using it.
 */
final class StateDelivery {

    /** The conflation slot of state updates on each connection. */
    static final String STATE_KEY = "game.state";
    /** Snapshots kept as delta bases: a client whose acknowledgement is older gets a full snapshot. */
    static final int HISTORY = 32;

    private final Snapshot[] history = new Snapshot[HISTORY];
    private final GameMeters meters;
    private Snapshot latest;

    StateDelivery(GameMeters meters) {
        this.meters = meters;
    }

    /** The newest snapshot delivered, or null before the first. */
    Snapshot latest() {
        return latest;
    }

    /** Keeps {@code snapshot} as a delta base and sends it to {@code players}; {@code lastApplied} gives a player's acknowledged input by id. */
    void deliver(Snapshot snapshot, List<GamePlayer> players, IntToLongFunction lastApplied) {
        history[snapshot.tick() % HISTORY] = snapshot;
        latest = snapshot;
        boolean anyBinary = false;
        boolean anyJson = false;
        for (GamePlayer p : players) {
            anyBinary |= p.binary();
            anyJson |= !p.binary();
        }
        Map<Integer, StateCodec.Encoded> byBase = new HashMap<>();
        for (GamePlayer player : players) {
            Snapshot base = baseFor(player, snapshot);
            boolean binary = anyBinary;
            boolean text = anyJson;
            StateCodec.Encoded encoded = byBase.computeIfAbsent(base == null ? 0 : base.tick(), b -> {
                StateCodec.Encoded e = StateCodec.encode(snapshot, base, binary, text);
                meters.encoded(e.full(), binary ? e.binary().length : e.jsonTail().length());
                return e;
            });
            long ack = lastApplied.applyAsLong(player.id());
            boolean replaced = player.binary()
                    ? player.connection().sendLatest(STATE_KEY, encoded.binaryFor(ack))
                    : player.connection().sendLatest(STATE_KEY, encoded.jsonFor(ack));
            if (replaced) {
                meters.conflated();
            }
        }
    }

    /** The acknowledged snapshot a delta is computed against, or null for a full one (new client, or too far behind). */
    private Snapshot baseFor(GamePlayer player, Snapshot current) {
        int acked = player.ackedTick;
        if (acked == 0 || current.tick() - acked >= HISTORY) {
            return null;
        }
        Snapshot base = history[acked % HISTORY];
        return base != null && base.tick() == acked ? base : null;
    }
}
