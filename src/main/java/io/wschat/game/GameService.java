package io.wschat.game;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Creating, joining and ending games; held briefly, never while a game ticks. */
    private final Object registry = new Object();

    public GameService(GameRules rules, int tickThreads, ObjectMapper json, GameMeters meters, Rejections rejections,
                       LongSupplier seeds) {
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
    }

    public GameRules rules() {
        return rules;
    }

    /** Puts the connection in game {@code name}, creating the game if needed; null when it is full. */
    public GamePlayer join(String name, ClientConnection connection, String playerName, boolean binary) {
        synchronized (registry) {
            Game game = games.get(name);
            boolean created = game == null;
            if (created) {
                game = new Game(name, rules, seeds.getAsLong(), json, meters, rejections);
            }
            GamePlayer player = game.join(connection, playerName, binary);
            if (created && player != null) {
                long period = 1_000_000_000L / rules.tickRate();
                game.scheduled(scheduler.scheduleAtFixedRate(ticking(game), period, period, TimeUnit.NANOSECONDS));
                games.put(name, game);
                log.info("game '{}' started", name);
            }
            return player;
        }
    }

    /** Whether game {@code name} could take one more player now (checked again, atomically, on join). */
    public boolean hasRoom(String name) {
        Game game = games.get(name);
        return game == null || game.playerCount() < rules.maxPlayers();
    }

    public void leave(GamePlayer player) {
        synchronized (registry) {
            Game game = player.owner();
            if (game.leave(player) && games.remove(game.name(), game)) {
                game.schedule().cancel(false);
                log.info("game '{}' ended: its last player left", game.name());
            }
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

    /** The lobby: every game of this instance, most players first. */
    public List<GameInfo> games() {
        return games.values().stream().map(Game::info)
                .sorted(Comparator.comparingInt((GameInfo g) -> g.players().size()).reversed().thenComparing(GameInfo::name))
                .toList();
    }

    public int gameCount() {
        return games.size();
    }

    public int playerCount() {
        return games.values().stream().mapToInt(Game::playerCount).sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
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
