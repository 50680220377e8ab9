package io.wschat.game;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Rejections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running game: its {@link World}, its players' connections, and the recent snapshots
 * deltas are computed against. Every call takes the game's own lock, which no other game
 * shares; sends only queue (they never wait for the network), so holding it while sending
 * costs this game alone.
 *
 * <p>Per tick each player gets one state update through {@link ClientConnection#sendLatest},
 * so an update it has not been written yet is replaced rather than queued behind. Joins,
 * leaves and round changes go through {@link ClientConnection#send}: in full and in order.
 */
final class Game {

    private static final Logger log = LoggerFactory.getLogger(Game.class);
    /** The conflation slot of state updates on each connection. */
    static final String STATE_KEY = "game.state";
    /** Snapshots kept as delta bases: a client whose acknowledgement is older gets a full snapshot. */
    static final int HISTORY = 32;

    private final String name;
    private final GameRules rules;
    private final World world;
    private final ObjectMapper json;
    private final GameMeters meters;
    private final Rejections rejections;
    private final Snapshot[] history = new Snapshot[HISTORY];
    private final List<GamePlayer> players = new ArrayList<>();
    private final long periodNanos;
    private long lastTickStarted;
    private ScheduledFuture<?> schedule;

    Game(String name, GameRules rules, long seed, ObjectMapper json, GameMeters meters, Rejections rejections) {
        this.name = name;
        this.rules = rules;
        this.world = new World(rules, seed);
        this.json = json;
        this.meters = meters;
        this.rejections = rejections;
        this.periodNanos = 1_000_000_000L / rules.tickRate();
    }

    String name() {
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
        Map<String, Object> joined = event("game.joined");
        joined.put("player", player(id, playerName));
        String joinedFrame = json.writeValueAsString(joined);
        players.forEach(p -> p.connection().send(joinedFrame));
        players.add(player);
        Map<String, Object> welcome = event("game.welcome");
        welcome.put("game", name);
        welcome.put("you", player(id, playerName));
        welcome.put("players", players.stream().map(p -> player(p.id(), p.name())).toList());
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
        connection.send(json.writeValueAsString(welcome));
        log.info("player {} ('{}') joined game '{}' ({} players)", id, playerName, name, players.size());
        return player;
    }

    /** Removes a player; true when the game is now empty and must end. */
    synchronized boolean leave(GamePlayer player) {
        if (!players.remove(player)) {
            return players.isEmpty();
        }
        world.leave(player.id());
        Map<String, Object> left = event("game.left");
        left.put("player", player(player.id(), player.name()));
        String frame = json.writeValueAsString(left);
        players.forEach(p -> p.connection().send(frame));
        log.info("player {} ('{}') left game '{}' ({} players)", player.id(), player.name(), name, players.size());
        return players.isEmpty();
    }

    /**
     * Judges one input of {@code player}. {@code claimedPlayer}, when the input names one, must be
     * the sender's own; {@code ack} (the newest state tick the client holds) moves its delta base.
     */
    synchronized InputVerdict input(GamePlayer player, Integer claimedPlayer, StateCodec.ParsedInput input) {
        InputVerdict verdict;
        if (claimedPlayer != null && claimedPlayer != player.id()) {
            verdict = InputVerdict.NOT_YOUR_PLAYER;
        } else if (input.ack() < 0 || input.ack() > world.tick()) {
            verdict = InputVerdict.OUT_OF_RANGE;
        } else {
            verdict = world.offer(player.id(), input.seq(), input.dx(), input.dy());
            if (verdict == InputVerdict.ACCEPTED || verdict == InputVerdict.STALE) {
                player.ackedTick = Math.max(player.ackedTick, (int) input.ack());
            }
        }
        if (verdict.code() != null) {
            refused(player, verdict);
        }
        return verdict;
    }

    /** Answers a refusal with an {@code error} event, at most once per second per kind, and counts every one. */
    synchronized void refused(GamePlayer player, InputVerdict verdict) {
        meters.inputRefused(verdict.code());
        Integer last = player.lastAnswered.get(verdict);
        if (last != null && world.tick() - last < rules.tickRate()) {
            return;
        }
        player.lastAnswered.put(verdict, world.tick());
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
            history[snapshot.tick() % HISTORY] = snapshot;
            for (GameEvent event : events) {
                String frame = encode(event);
                players.forEach(p -> p.connection().send(frame));
            }
            deliver(snapshot);
        }
        meters.tick(System.nanoTime() - started);
    }

    private void deliver(Snapshot snapshot) {
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
            long ack = world.lastApplied(player.id());
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

    /** For the lobby: who plays, in which round, how long it still lasts. */
    synchronized GameInfo info() {
        Snapshot s = history[world.tick() % HISTORY];
        return new GameInfo(name, players.stream().map(GamePlayer::name).toList(), s == null ? 1 : s.round(),
                s != null && s.intermission(), s == null ? rules.roundTicks() / rules.tickRate() : s.ticksLeft() / rules.tickRate(),
                s == null ? 0 : s.tick());
    }

    synchronized int playerCount() {
        return players.size();
    }

    private static Map<String, Object> event(String type) {
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
