package io.wschat.game;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.IntToLongFunction;

import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Disconnect;
import io.wschat.chat.Rejections;
import io.wschat.chat.SharedFrame;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running game on the instance that owns it: its {@link World}, its local players'
 * connections, and the players that play it through a mirror on another instance. Every call
 * takes the game's own lock, which no other game shares; sends only queue (they never wait for
 * the network, relayed ones included), so holding it while sending costs this game alone.
 *
 * <p>Per tick each local player gets one state update through {@link ClientConnection#sendLatest},
 * so an update it has not been written yet is replaced rather than queued behind. Joins,
 * leaves and round changes go through {@link ClientConnection#send}: in full and in order.
 * While players on other instances play, each tick's state is also encoded once for all their
 * mirrors ({@link RelayCodec#state}), and every event frame goes to the mirrors as it went to
 * local players; with none, nothing is relayed and a tick costs what it does on one instance.
 */
final class Game implements GameTable {

    private static final Logger log = LoggerFactory.getLogger(Game.class);

    private final String name;
    private final GameRules rules;
    private final World world;
    private final ObjectMapper json;
    private final GameMeters meters;
    private final Rejections rejections;
    private final GameRelay relay;
    private final StateDelivery delivery;
    private final IntToLongFunction lastApplied;
    private final List<GamePlayer> players = new ArrayList<>();
    /** Players connected to other instances, by id. */
    private final Map<Integer, Remote> remotes = new LinkedHashMap<>();
    private final long periodNanos;
    private long lastTickStarted;
    private ScheduledFuture<?> schedule;

    private record Remote(int id, String name, String instance) {
    }

    Game(String name, GameRules rules, long seed, ObjectMapper json, GameMeters meters, Rejections rejections, GameRelay relay) {
        this.name = name;
        this.rules = rules;
        this.world = new World(rules, seed);
        this.json = json;
        this.meters = meters;
        this.rejections = rejections;
        this.relay = relay;
        this.delivery = new StateDelivery(meters);
        this.lastApplied = world::lastApplied;
        this.periodNanos = 1_000_000_000L / rules.tickRate();
    }

    @Override
    public String name() {
        return name;
    }

    void scheduled(ScheduledFuture<?> schedule) {
        this.schedule = schedule;
    }

    ScheduledFuture<?> schedule() {
        return schedule;
    }

    /** Adds a player and sends it {@code game.welcome}; the others get {@code game.joined}. Null when the game is full. */
    synchronized GamePlayer join(ClientConnection connection, String playerName, boolean binary) {
        if (world.playerCount() >= rules.maxPlayers()) {
            return null;
        }
        int id = world.join(playerName);
        GamePlayer player = new GamePlayer(connection, this, id, playerName, binary);
        announce("game.joined", id, playerName);
        players.add(player);
        connection.send(welcome(id, playerName, binary));
        log.info("player {} ('{}') joined game '{}' ({} players)", id, playerName, name, world.playerCount());
        return player;
    }

    /** Removes a player; true when the game is now empty and must end. */
    synchronized boolean leave(GamePlayer player) {
        if (!players.remove(player)) {
            return isEmpty();
        }
        world.leave(player.id());
        announce("game.left", player.id(), player.name());
        log.info("player {} ('{}') left game '{}' ({} players)", player.id(), player.name(), name, world.playerCount());
        return isEmpty();
    }

    /** A join, input or leave a mirror sent for one of its players; true when the game is now empty and must end. */
    synchronized boolean fromMirror(ByteBuffer in) {
        switch (in.get()) {
            case RelayCodec.JOIN -> {
                String instance = RelayCodec.string(in);
                int token = in.getInt();
                boolean binary = in.get() != 0;
                String playerName = RelayCodec.rest(in);
                if (world.playerCount() >= rules.maxPlayers()) {
                    relay.toMirrors(name, RelayCodec.full(instance, token));
                    return isEmpty();
                }
                int id = world.join(playerName);
                announce("game.joined", id, playerName);
                remotes.put(id, new Remote(id, playerName, instance));
                relay.toMirrors(name, RelayCodec.welcome(instance, token, id, welcome(id, playerName, binary)));
                log.info("player {} ('{}') of instance '{}' joined game '{}' ({} players)", id, playerName, instance, name,
                        world.playerCount());
            }
            case RelayCodec.INPUT -> {
                int id = Short.toUnsignedInt(in.getShort());
                StateCodec.ParsedInput input = RelayCodec.readInput(in);
                if (remotes.containsKey(id)) {
                    InputVerdict verdict = judge(id, input);
                    if (verdict.code() != null) {
                        relay.toMirrors(name, RelayCodec.refused(id, verdict));
                    }
                }
            }
            case RelayCodec.LEAVE -> {
                Remote remote = remotes.remove(Short.toUnsignedInt(in.getShort()));
                if (remote != null) {
                    dropRemote(remote);
                }
            }
            default -> log.debug("game '{}': ignored a relayed message of an unknown kind", name);
        }
        return isEmpty();
    }

    /** Drops the players of instances that are gone; true when the game is now empty and must end. */
    synchronized boolean dropInstances(Set<String> gone) {
        remotes.values().removeIf(remote -> {
            if (gone.contains(remote.instance())) {
                dropRemote(remote);
                return true;
            }
            return false;
        });
        return isEmpty();
    }

    /** The instances whose players play here through a mirror. */
    synchronized Set<String> mirrorInstances() {
        Set<String> instances = new HashSet<>();
        remotes.values().forEach(r -> instances.add(r.instance()));
        return instances;
    }

    private void dropRemote(Remote remote) {
        world.leave(remote.id());
        announce("game.left", remote.id(), remote.name());
        log.info("player {} ('{}') of instance '{}' left game '{}' ({} players)", remote.id(), remote.name(),
                remote.instance(), name, world.playerCount());
    }

    synchronized boolean isEmpty() {
        return players.isEmpty() && remotes.isEmpty();
    }

    /**
     * Judges one input of {@code player}. {@code claimedPlayer}, when the input names one, must be
     * the sender's own; {@code ack} (the newest state tick the client holds) moves its delta base.
     */
    @Override
    public synchronized void input(GamePlayer player, Integer claimedPlayer, StateCodec.ParsedInput input) {
        InputVerdict verdict = claimedPlayer != null && claimedPlayer != player.id()
                ? InputVerdict.NOT_YOUR_PLAYER : judge(player.id(), input);
        if (verdict == InputVerdict.ACCEPTED || verdict == InputVerdict.STALE) {
            player.ackedTick = Math.max(player.ackedTick, (int) input.ack());
        }
        if (verdict.code() != null) {
            refused(player, verdict);
        }
    }

    private InputVerdict judge(int id, StateCodec.ParsedInput input) {
        if (input.ack() < 0 || input.ack() > world.tick()) {
            return InputVerdict.OUT_OF_RANGE;
        }
        return world.offer(id, input.seq(), input.dx(), input.dy());
    }

    @Override
    public synchronized void refused(GamePlayer player, InputVerdict verdict) {
        answer(player, verdict, world.tick(), rules, json, meters, rejections);
    }

    /** Answers a refusal with an {@code error} event, at most once per second per kind, and counts every one. */
    static void answer(GamePlayer player, InputVerdict verdict, int tick, GameRules rules, ObjectMapper json,
                       GameMeters meters, Rejections rejections) {
        meters.inputRefused(verdict.code());
        Integer last = player.lastAnswered.get(verdict);
        if (last != null && tick - last < rules.tickRate()) {
            return;
        }
        player.lastAnswered.put(verdict, tick);
        rejections.reject(player.connection().id(), player.connection().remoteAddress(), verdict.code());
        Map<String, Object> error = event("error");
        error.put("code", verdict.code());
        error.put("message", switch (verdict) {
            case OUT_OF_RANGE -> "dx and dy must lie in -100..100, seq in 1..4294967295, ack between 0 and the current tick";
            case TOO_FAST -> "more than " + rules.maxQueuedInputs() + " inputs waiting; send one per tick";
            case NOT_YOUR_PLAYER -> "this connection plays player " + player.id() + " only";
            default -> "an input is {\"type\":\"input\",\"seq\":n,\"dx\":-100..100,\"dy\":-100..100,\"ack\":tick}";
        });
        player.connection().send(json.writeValueAsString(error));
    }

    /**
     * One step: simulate, then send each player the state as a delta against what it acknowledged.
     * Runs on the shared tick scheduler; a call that comes less than half a period after the last
     * (the scheduler catching up after a slow tick) is skipped, so a late game does not burst.
     */
    void tick() {
        long started = System.nanoTime();
        synchronized (this) {
            if (lastTickStarted != 0 && started - lastTickStarted < periodNanos / 2) {
                return;
            }
            lastTickStarted = started;
            List<GameEvent> events = world.step();
            Snapshot snapshot = world.snapshot();
            for (GameEvent event : events) {
                broadcast(encode(event));
            }
            delivery.deliver(snapshot, players, lastApplied);
            if (!remotes.isEmpty()) {
                long[] applied = new long[snapshot.players()];
                for (int i = 0; i < applied.length; i++) {
                    applied[i] = world.lastApplied(snapshot.ids()[i]);
                }
                relay.toMirrors(name, RelayCodec.state(snapshot, applied));
                meters.stateRelayed();
            }
        }
        meters.tick(System.nanoTime() - started);
    }

    /**
     * The lease on this game went to another instance (this one lost Redis for longer than the
     * lease): tells the local players the game is over here and closes them with 1012, so they
     * reconnect to the game where it runs now.
     */
    synchronized void hostLost() {
        String frame = endedFrame(json);
        for (GamePlayer player : players) {
            player.connection().send(frame);
            player.connection().closeWhenDrained(Disconnect.HOST_LOST);
        }
    }

    static String endedFrame(ObjectMapper json) {
        Map<String, Object> ended = event("game.ended");
        ended.put("reason", "host_lost");
        return json.writeValueAsString(ended);
    }

    /** A must-not-lose frame for every player, here and on every mirror. */
    private void broadcast(String frame) {
        SharedFrame shared = new SharedFrame(frame);
        players.forEach(p -> p.connection().send(shared));
        if (!remotes.isEmpty()) {
            relay.toMirrors(name, RelayCodec.frame(frame));
        }
    }

    private void announce(String type, int id, String playerName) {
        Map<String, Object> frame = event(type);
        frame.put("player", player(id, playerName));
        broadcast(json.writeValueAsString(frame));
    }

    private String welcome(int id, String playerName, boolean binary) {
        List<Map<String, Object>> everyone = new ArrayList<>();
        players.forEach(p -> everyone.add(player(p.id(), p.name())));
        remotes.values().forEach(r -> everyone.add(player(r.id(), r.name())));
        everyone.sort(Comparator.comparingInt(p -> (Integer) p.get("id")));
        Map<String, Object> welcome = event("game.welcome");
        welcome.put("game", name);
        welcome.put("you", player(id, playerName));
        welcome.put("players", everyone);
        welcome.put("format", binary ? "binary" : "json");
        Map<String, Object> rulesView = new LinkedHashMap<>();
        rulesView.put("tickRate", rules.tickRate());
        rulesView.put("arena", rules.arenaSize());
        rulesView.put("speed", rules.speed());
        rulesView.put("playerRadius", rules.playerRadius());
        rulesView.put("coinRadius", rules.coinRadius());
        rulesView.put("roundTicks", rules.roundTicks());
        rulesView.put("intermissionTicks", rules.intermissionTicks());
        rulesView.put("maxQueuedInputs", rules.maxQueuedInputs());
        welcome.put("rules", rulesView);
        return json.writeValueAsString(welcome);
    }

    private String encode(GameEvent event) {
        Map<String, Object> frame = event("game.round");
        if (event instanceof GameEvent.RoundEnded ended) {
            frame.put("state", "ended");
            frame.put("round", ended.round());
            frame.put("scores", ended.scores());
            if (!ended.scores().isEmpty() && ended.scores().get(0).score() > 0) {
                frame.put("winner", ended.scores().get(0));
            }
        } else if (event instanceof GameEvent.RoundStarted started) {
            frame.put("state", "started");
            frame.put("round", started.round());
        }
        return json.writeValueAsString(frame);
    }

    /** For the lobby: who plays (here and through mirrors), in which round, how long it still lasts. */
    synchronized GameInfo info() {
        Snapshot s = delivery.latest();
        List<String> names = new ArrayList<>();
        players.forEach(p -> names.add(p.name()));
        remotes.values().forEach(r -> names.add(r.name()));
        return new GameInfo(name, names, s == null ? 1 : s.round(), s != null && s.intermission(),
                s == null ? rules.roundTicks() / rules.tickRate() : s.ticksLeft() / rules.tickRate(), s == null ? 0 : s.tick());
    }

    /** Players connected to this instance. */
    synchronized int playerCount() {
        return players.size();
    }

    /** Players of the game wherever they are connected: what the game's capacity counts. */
    synchronized int allPlayers() {
        return world.playerCount();
    }

    static Map<String, Object> event(String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        return event;
    }

    private static Map<String, Object> player(int id, String name) {
        Map<String, Object> player = new LinkedHashMap<>();
        player.put("id", id);
        player.put("name", name);
        return player;
    }
}
