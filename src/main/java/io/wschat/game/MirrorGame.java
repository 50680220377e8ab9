package io.wschat.game;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Disconnect;
import io.wschat.chat.Rejections;
import io.wschat.chat.SharedFrame;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A game another instance owns, as this instance's players see it. Their joins, inputs and
 * leaves go to the owner; what the owner publishes comes back here: each tick's whole state,
 * which this mirror delivers to its players exactly as the owner delivers to its own (deltas
 * against what each acknowledged, latest-value slots, binary or JSON), and the event frames,
 * sent on as the owner encoded them. A player joins once the owner has answered; until then its
 * inputs are ignored (it has had no {@code game.welcome}, so it sends none).
 *
 * <p>The owner publishes a state every tick while this instance has players in the game, so a
 * mirror that hears nothing for the owner lease has lost the owner: {@link GameService} then
 * ends it here with {@link #hostLost()}. Every call takes the mirror's own lock.
 */
final class MirrorGame implements GameTable {

    private static final Logger log = LoggerFactory.getLogger(MirrorGame.class);

    private final String name;
    private final String owner;
    private final GameRules rules;
    private final ObjectMapper json;
    private final GameMeters meters;
    private final Rejections rejections;
    private final GameRelay relay;
    private final StateDelivery delivery;
    private final List<GamePlayer> players = new ArrayList<>();
    private final Map<Integer, GamePlayer> pending = new HashMap<>();
    private final IntToLongFunction lastApplied = this::lastApplied;
    private int[] stateIds = new int[0];
    private long[] stateApplied = new long[0];
    private int nextToken;
    private volatile long lastHeard = System.nanoTime();

    MirrorGame(String name, String owner, GameRules rules, ObjectMapper json, GameMeters meters, Rejections rejections,
               GameRelay relay) {
        this.name = name;
        this.owner = owner;
        this.rules = rules;
        this.json = json;
        this.meters = meters;
        this.rejections = rejections;
        this.relay = relay;
        this.delivery = new StateDelivery(meters);
    }

    @Override
    public String name() {
        return name;
    }

    String owner() {
        return owner;
    }

    /** Asks the owner to seat the connection; the player gets its {@code game.welcome} (or a close if full) when the owner answers. */
    synchronized GamePlayer join(ClientConnection connection, String playerName, boolean binary) {
        GamePlayer player = new GamePlayer(connection, this, 0, playerName, binary);
        int token = ++nextToken;
        pending.put(token, player);
        relay.toOwner(name, RelayCodec.join(relay.instanceId(), token, binary, playerName));
        log.info("player '{}' asked instance '{}' to join game '{}'", playerName, owner, name);
        return player;
    }

    /** Removes a player here and at the owner; true when no local player is left and the mirror must end. */
    synchronized boolean leave(GamePlayer player) {
        pending.values().remove(player);
        if (players.remove(player)) {
            relay.toOwner(name, RelayCodec.leave(player.id()));
        }
        return players.isEmpty() && pending.isEmpty();
    }

    /** One message the owner published for the game's mirrors. */
    synchronized void fromOwner(ByteBuffer in) {
        lastHeard = System.nanoTime();
        switch (in.get()) {
            case RelayCodec.STATE -> {
                RelayCodec.State state = RelayCodec.readState(in);
                stateIds = state.snapshot().ids();
                stateApplied = state.lastApplied();
                delivery.deliver(state.snapshot(), players, lastApplied);
            }
            case RelayCodec.FRAME -> {
                SharedFrame frame = new SharedFrame(RelayCodec.rest(in));
                players.forEach(p -> p.connection().send(frame));
            }
            case RelayCodec.WELCOME -> {
                String instance = RelayCodec.string(in);
                int token = in.getInt();
                int id = Short.toUnsignedInt(in.getShort());
                String frame = RelayCodec.rest(in);
                if (!instance.equals(relay.instanceId())) {
                    return;
                }
                GamePlayer player = pending.remove(token);
                if (player == null) {
                    // It left while its join was on the way: the owner seated it, so free the seat.
                    relay.toOwner(name, RelayCodec.leave(id));
                    return;
                }
                player.seated(id);
                players.add(player);
                player.connection().send(frame);
                log.info("player {} ('{}') joined game '{}' of instance '{}'", id, player.name(), name, owner);
            }
            case RelayCodec.FULL -> {
                String instance = RelayCodec.string(in);
                GamePlayer player = instance.equals(relay.instanceId()) ? pending.remove(in.getInt()) : null;
                if (player != null) {
                    rejections.reject(player.connection().id(), player.connection().remoteAddress(), "game_full");
                    player.connection().close(Disconnect.TRY_AGAIN_LATER);
                }
            }
            case RelayCodec.REFUSED -> {
                int id = Short.toUnsignedInt(in.getShort());
                InputVerdict verdict = InputVerdict.values()[in.get()];
                for (GamePlayer player : players) {
                    if (player.id() == id) {
                        refused(player, verdict);
                    }
                }
            }
            default -> log.debug("game '{}': ignored a relayed message of an unknown kind", name);
        }
    }

    /** A welcome that found no mirror here (its player left and the mirror ended meanwhile): the seat is freed at the owner. */
    static void unclaimedWelcome(String game, ByteBuffer in, GameRelay relay) {
        if (in.get() != RelayCodec.WELCOME) {
            return;
        }
        String instance = RelayCodec.string(in);
        in.getInt();
        int id = Short.toUnsignedInt(in.getShort());
        if (instance.equals(relay.instanceId())) {
            relay.toOwner(game, RelayCodec.leave(id));
        }
    }

    @Override
    public synchronized void input(GamePlayer player, Integer claimedPlayer, StateCodec.ParsedInput input) {
        if (player.id() == 0) {
            return;
        }
        if (claimedPlayer != null && claimedPlayer != player.id()) {
            refused(player, InputVerdict.NOT_YOUR_PLAYER);
            return;
        }
        Snapshot latest = delivery.latest();
        if (latest != null && input.ack() > 0 && input.ack() <= latest.tick()) {
            player.ackedTick = Math.max(player.ackedTick, (int) input.ack());
        }
        relay.toOwner(name, RelayCodec.input(player.id(), input));
        meters.inputRelayed();
    }

    @Override
    public synchronized void refused(GamePlayer player, InputVerdict verdict) {
        Snapshot latest = delivery.latest();
        Game.answer(player, verdict, latest == null ? 0 : latest.tick(), rules, json, meters, rejections);
    }

    boolean silentFor(long nanos) {
        return System.nanoTime() - lastHeard > nanos;
    }

    /** The owner is gone: every local player is told {@code game.ended} and closed with 1012, to reconnect and play on. */
    synchronized void hostLost() {
        String frame = Game.endedFrame(json);
        List<GamePlayer> all = new ArrayList<>(players);
        all.addAll(pending.values());
        for (GamePlayer player : all) {
            player.connection().send(frame);
            player.connection().closeWhenDrained(Disconnect.HOST_LOST);
        }
        log.warn("game '{}': instance '{}' that ran it is gone; closed its {} players here with 1012", name, owner, all.size());
    }

    synchronized int playerCount() {
        return players.size() + pending.size();
    }

    private long lastApplied(int id) {
        int i = Arrays.binarySearch(stateIds, id);
        return i < 0 ? 0 : stateApplied[i];
    }
}
