package io.wschat.game;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Rejections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The games of this instance, transport-agnostic like the chat core: the WebSocket layer turns
 * connections into {@link GamePlayer}s and frames into calls here.
 *
 * <p>A game is created by its first player and ends when its last one leaves: its tick is
 * cancelled and it is forgotten. All games tick on one scheduler with a fixed number of
 * threads; a game is never ticked on two threads at once, so a slow one holds one thread and
 * skips ticks while the others go on.
 *
 * <p>With a shared {@link GameRelay} (several instances), a game runs on the instance that
 * claimed its lease first; a player connecting to another instance plays it through a
 * {@link MirrorGame} there. A separate thread renews this instance's leases (and lobby
 * entries) three times per lease, drops the players of instances that died, and ends the
 * mirrors whose owner fell silent for a whole lease. With the local relay none of this runs.
 */
public final class GameService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GameService.class);

    private final GameRules rules;
    private final ObjectMapper json;
    private final GameMeters meters;
    private final Rejections rejections;
    private final LongSupplier seeds;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<String, Game> games = new ConcurrentHashMap<>();
    /** Games other instances run, that players of this one play. */
    private final Map<String, MirrorGame> mirrors = new ConcurrentHashMap<>();
    private final GameRelay relay;
    private final Duration lease;
    private final long leaseNanos;
    /** Lease renewal and owner watch: Redis calls, never on a tick thread. Null with the local relay. */
    private final ScheduledExecutorService leases;
    /** Creating, joining and ending games; held briefly, never while a game ticks. */
    private final Object registry = new Object();

    /** A service for one instance on its own. */
    public GameService(GameRules rules, int tickThreads, ObjectMapper json, GameMeters meters, Rejections rejections,
                       LongSupplier seeds) {
        this(rules, tickThreads, json, meters, rejections, seeds, new LocalGameRelay(), Duration.ofSeconds(3));
    }

    /** {@code ownerLease}: how long a game's lease lasts unrenewed, and how long a mirror waits for its silent owner. */
    public GameService(GameRules rules, int tickThreads, ObjectMapper json, GameMeters meters, Rejections rejections,
                       LongSupplier seeds, GameRelay relay, Duration ownerLease) {
        this.relay = relay;
        this.lease = ownerLease;
        this.leaseNanos = ownerLease.toNanos();
        this.rules = rules;
        this.json = json;
        this.meters = meters;
        this.rejections = rejections;
        this.seeds = seeds;
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(tickThreads, r -> {
            Thread thread = new Thread(r, "game-tick-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        if (relay.shared()) {
            relay.listen(new Relayed());
            this.leases = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "game-leases");
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(1, leaseNanos / 3);
            leases.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.NANOSECONDS);
        } else {
            this.leases = null;
        }
    }

    public GameRules rules() {
        return rules;
    }

    /**
     * Puts the connection in game {@code name}, creating the game if needed, or, when another
     * instance runs it, in this instance's mirror of it; null when it is full here.
     */
    public GamePlayer join(String name, ClientConnection connection, String playerName, boolean binary) {
        String owner = null;
        if (relay.shared() && !games.containsKey(name) && !mirrors.containsKey(name)) {
            // Outside the registry lock: a round trip to the shared store.
            owner = relay.claim(name, lease);
        }
        synchronized (registry) {
            Game game = games.get(name);
            if (game != null) {
                return game.join(connection, playerName, binary);
            }
            MirrorGame mirror = mirrors.get(name);
            if (mirror == null && owner != null && !owner.equals(relay.instanceId())) {
                mirror = new MirrorGame(name, owner, rules, json, meters, rejections, relay);
                mirrors.put(name, mirror);
                log.info("game '{}' runs on instance '{}': its players here play it through a mirror", name, owner);
            }
            if (mirror != null) {
                return mirror.join(connection, playerName, binary);
            }
            game = new Game(name, rules, seeds.getAsLong(), json, meters, rejections, relay);
            GamePlayer player = game.join(connection, playerName, binary);
            if (player != null) {
                long period = 1_000_000_000L / rules.tickRate();
                game.scheduled(scheduler.scheduleAtFixedRate(ticking(game), period, period, TimeUnit.NANOSECONDS));
                games.put(name, game);
                log.info("game '{}' started", name);
            }
            return player;
        }
    }

    /** Whether game {@code name} could take one more player now (checked again, atomically, on join; by the owner for a mirror's). */
    public boolean hasRoom(String name) {
        Game game = games.get(name);
        return game == null || game.allPlayers() < rules.maxPlayers();
    }

    public void leave(GamePlayer player) {
        String release = null;
        synchronized (registry) {
            if (player.owner() instanceof Game game) {
                if (game.leave(player) && games.remove(game.name(), game)) {
                    game.schedule().cancel(false);
                    release = game.name();
                    log.info("game '{}' ended: its last player left", game.name());
                }
            } else if (player.owner() instanceof MirrorGame mirror && mirror.leave(player) && mirrors.remove(mirror.name(), mirror)) {
                log.info("game '{}' of instance '{}': no player left here, mirror closed", mirror.name(), mirror.owner());
            }
        }
        if (release != null && relay.shared()) {
            relay.release(release);
        }
    }

    /**
     * Handles a text frame if it is a game command ({@code "type":"input"}) and returns true;
     * false hands it on (to the chat of the game's room).
     */
    public boolean onText(GamePlayer player, String frame) {
        if (!frame.contains("\"input\"")) {
            return false;
        }
        JsonNode node;
        try {
            node = json.readTree(frame);
        } catch (JacksonException e) {
            return false;
        }
        if (node == null || !node.isObject() || !"input".equals(node.path("type").asString(null))) {
            return false;
        }
        JsonNode seq = node.get("seq");
        JsonNode dx = node.get("dx");
        JsonNode dy = node.get("dy");
        JsonNode ack = node.get("ack");
        JsonNode claimed = node.get("player");
        if (!integral(seq) || !integral(dx) || !integral(dy) || (ack != null && !integral(ack))
                || (claimed != null && !integral(claimed))) {
            player.owner().refused(player, InputVerdict.MALFORMED);
            return true;
        }
        player.owner().input(player, claimed == null ? null : clampToInt(claimed.longValue()),
                new StateCodec.ParsedInput(seq.longValue(), clampToInt(dx.longValue()), clampToInt(dy.longValue()),
                        ack == null ? 0 : ack.longValue()));
        return true;
    }

    /** Handles a binary frame of a connection that negotiated binary: an input, or garbage answered with {@code bad_input}. */
    public void onBinary(GamePlayer player, ByteBuffer frame) {
        StateCodec.ParsedInput input = StateCodec.decodeInput(frame);
        if (input == null) {
            player.owner().refused(player, InputVerdict.MALFORMED);
            return;
        }
        player.owner().input(player, null, input);
    }

    /** The lobby: every game of this instance and, with several instances, of the others, most players first. */
    public List<GameInfo> games() {
        List<GameInfo> all = new ArrayList<>();
        games.values().forEach(g -> all.add(g.info()));
        if (relay.shared()) {
            relay.lobby().stream().filter(g -> !games.containsKey(g.name())).forEach(all::add);
        }
        all.sort(Comparator.comparingInt((GameInfo g) -> g.players().size()).reversed().thenComparing(GameInfo::name));
        return all;
    }

    /** Games running on this instance. */
    public int gameCount() {
        return games.size();
    }

    /** Players connected to this instance, in its games or in mirrors of other instances' games. */
    public int playerCount() {
        return games.values().stream().mapToInt(Game::playerCount).sum()
                + mirrors.values().stream().mapToInt(MirrorGame::playerCount).sum();
    }

    /** Stops the ticks and gives up this instance's leases, so another instance can start those games at once. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        if (leases != null) {
            leases.shutdownNow();
            games.keySet().forEach(relay::release);
        }
    }

    /** Renews the leases of the games run here, drops players of dead instances, ends mirrors whose owner fell silent. */
    private void maintain() {
        for (Game game : games.values()) {
            try {
                if (!relay.renew(game.name(), game.info(), lease)) {
                    log.warn("game '{}': another instance holds its lease now; ending it here", game.name());
                    end(game);
                    game.hostLost();
                    continue;
                }
                Set<String> instances = game.mirrorInstances();
                if (!instances.isEmpty()) {
                    instances.removeAll(relay.alive(instances));
                    if (!instances.isEmpty()) {
                        log.info("game '{}': instances {} are gone, dropping their players", game.name(), instances);
                        if (game.dropInstances(instances)) {
                            endIfEmpty(game);
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.warn("game '{}': lease upkeep failed: {}", game.name(), e.toString());
            }
        }
        for (MirrorGame mirror : mirrors.values()) {
            if (mirror.silentFor(leaseNanos) && mirrors.remove(mirror.name(), mirror)) {
                mirror.hostLost();
            }
        }
    }

    private void end(Game game) {
        synchronized (registry) {
            if (games.remove(game.name(), game)) {
                game.schedule().cancel(false);
            }
        }
    }

    private void endIfEmpty(Game game) {
        boolean ended = false;
        synchronized (registry) {
            if (game.isEmpty() && games.remove(game.name(), game)) {
                game.schedule().cancel(false);
                ended = true;
                log.info("game '{}' ended: its last player left", game.name());
            }
        }
        if (ended) {
            relay.release(game.name());
        }
    }

    /** Messages from other instances, on the relay's delivery thread. */
    private final class Relayed implements GameRelay.Listener {

        @Override
        public void fromOwner(String game, byte[] message) {
            MirrorGame mirror = mirrors.get(game);
            try {
                if (mirror != null) {
                    mirror.fromOwner(ByteBuffer.wrap(message));
                } else if (message.length > 0 && message[0] == RelayCodec.WELCOME) {
                    MirrorGame.unclaimedWelcome(game, ByteBuffer.wrap(message), relay);
                }
            } catch (RuntimeException e) {
                log.warn("game '{}': dropped an unreadable message from its owner: {}", game, e.toString());
            }
        }

        @Override
        public void fromMirror(String game, byte[] message) {
            Game owned = games.get(game);
            if (owned == null) {
                return;
            }
            try {
                if (owned.fromMirror(ByteBuffer.wrap(message))) {
                    endIfEmpty(owned);
                }
            } catch (RuntimeException e) {
                log.warn("game '{}': dropped an unreadable message from a mirror: {}", game, e.toString());
            }
        }
    }

    private Runnable ticking(Game game) {
        return () -> {
            try {
                game.tick();
            } catch (RuntimeException e) {
                // An exception would cancel the schedule silently; log it and keep the game running.
                log.error("game '{}': tick failed", game.name(), e);
            }
        };
    }

    private static boolean integral(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong();
    }

    /** Out-of-range numbers stay out of range after clamping, so the simulation refuses them as such. */
    private static int clampToInt(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
