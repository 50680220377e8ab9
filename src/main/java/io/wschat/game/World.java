package io.wschat.game;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * The arena simulation: players steer with a stick, push each other apart, and collect coins
 * for points until the round's time is up; after a short intermission the next round starts
 * with scores at zero. Deterministic: given the seed and the same calls in the same order, it
 * produces the same snapshots, because time only advances through {@link #step()}.
 *
 * <p>Not thread-safe: its {@link Game} calls it under the game's lock.
 */
public final class World {

    private final GameRules rules;
    private final Random random;
    private final TreeMap<Integer, Player> players = new TreeMap<>();
    private final int[] coinXs;
    private final int[] coinYs;
    private int tick;
    private int round = 1;
    private boolean intermission;
    private int ticksLeft;

    public World(GameRules rules, long seed) {
        this.rules = rules;
        this.random = new Random(seed);
        this.coinXs = new int[rules.coins()];
        this.coinYs = new int[rules.coins()];
        for (int i = 0; i < rules.coins(); i++) {
            placeCoin(i);
        }
        this.ticksLeft = rules.roundTicks();
    }

    /** Adds a player at a random free-ish spot and returns its id, the lowest unused one from 1. */
    public int join(String name) {
        int id = 1;
        for (int taken : players.keySet()) {
            if (taken != id) {
                break;
            }
            id++;
        }
        Player player = new Player(id, name);
        spawn(player);
        players.put(id, player);
        return id;
    }

    public void leave(int id) {
        players.remove(id);
    }

    public boolean isEmpty() {
        return players.isEmpty();
    }

    public int playerCount() {
        return players.size();
    }

    public String name(int id) {
        Player player = players.get(id);
        return player == null ? null : player.name;
    }

    /**
     * Offers one input of player {@code id}: {@code seq} must grow, {@code dx} and {@code dy}
     * lie in -100..100 (a stick; the direction is normalised, so diagonals are not faster).
     * Accepted inputs wait in a short queue and one is applied per tick.
     */
    public InputVerdict offer(int id, long seq, int dx, int dy) {
        Player player = players.get(id);
        if (player == null) {
            return InputVerdict.NOT_YOUR_PLAYER;
        }
        if (seq < 1 || seq > 0xFFFF_FFFFL || Math.abs(dx) > GameRules.MAX_STICK || Math.abs(dy) > GameRules.MAX_STICK) {
            return InputVerdict.OUT_OF_RANGE;
        }
        if (seq <= player.lastOffered) {
            return InputVerdict.STALE;
        }
        if (player.inputs.size() >= rules.maxQueuedInputs()) {
            return InputVerdict.TOO_FAST;
        }
        player.lastOffered = seq;
        player.inputs.add(new Input(seq, dx, dy));
        return InputVerdict.ACCEPTED;
    }

    /** The sequence number of the last input of {@code id} the simulation applied, 0 before the first. */
    public long lastApplied(int id) {
        Player player = players.get(id);
        return player == null ? 0 : player.lastApplied;
    }

    public int tick() {
        return tick;
    }

    /** Advances the world by one tick and returns what happened besides motion. */
    public List<GameEvent> step() {
        tick++;
        List<GameEvent> events = List.of();
        for (Player player : players.values()) {
            Input input = player.inputs.poll();
            if (input != null) {
                // Held until the next input: a late input repeats the last direction instead of stopping dead.
                player.dx = input.dx;
                player.dy = input.dy;
                player.lastApplied = input.seq;
            }
            if (!intermission) {
                move(player);
            }
        }
        if (!intermission) {
            separate();
            collect();
        }
        if (--ticksLeft == 0) {
            events = intermission ? startRound() : endRound();
        }
        return events;
    }

    public Snapshot snapshot() {
        int n = players.size();
        int[] ids = new int[n];
        int[] xs = new int[n];
        int[] ys = new int[n];
        int[] scores = new int[n];
        int i = 0;
        for (Player player : players.values()) {
            ids[i] = player.id;
            xs[i] = (int) Math.round(player.x);
            ys[i] = (int) Math.round(player.y);
            scores[i] = player.score;
            i++;
        }
        return new Snapshot(tick, round, intermission, ticksLeft, ids, xs, ys, scores, coinXs.clone(), coinYs.clone());
    }

    private void move(Player player) {
        double length = Math.hypot(player.dx, player.dy);
        if (length == 0) {
            return;
        }
        double step = (double) rules.speed() / rules.tickRate() * Math.min(1.0, length / GameRules.MAX_STICK);
        player.x = clamp(player.x + player.dx / length * step);
        player.y = clamp(player.y + player.dy / length * step);
    }

    /** Players overlap at most for the tick they collide: each pair is pushed apart by half the overlap each. */
    private void separate() {
        Player[] all = players.values().toArray(Player[]::new);
        double minDistance = 2.0 * rules.playerRadius();
        for (int a = 0; a < all.length; a++) {
            for (int b = a + 1; b < all.length; b++) {
                double dx = all[b].x - all[a].x;
                double dy = all[b].y - all[a].y;
                if (Math.abs(dx) >= minDistance || Math.abs(dy) >= minDistance) {
                    continue;
                }
                double distance = Math.hypot(dx, dy);
                if (distance >= minDistance) {
                    continue;
                }
                if (distance == 0) {
                    // Exactly on top of each other: push apart along x, lower id to the left.
                    dx = 1;
                    distance = 1;
                }
                double push = (minDistance - distance) / 2 / distance;
                all[a].x = clamp(all[a].x - dx * push);
                all[a].y = clamp(all[a].y - dy * push);
                all[b].x = clamp(all[b].x + dx * push);
                all[b].y = clamp(all[b].y + dy * push);
            }
        }
    }

    private void collect() {
        double reach = rules.playerRadius() + rules.coinRadius();
        for (Player player : players.values()) {
            for (int c = 0; c < coinXs.length; c++) {
                if (Math.hypot(coinXs[c] - player.x, coinYs[c] - player.y) < reach) {
                    player.score = Math.min(player.score + 1, GameRules.MAX_U16);
                    placeCoin(c);
                }
            }
        }
    }

    private List<GameEvent> endRound() {
        intermission = true;
        ticksLeft = rules.intermissionTicks();
        List<GameEvent.Score> scores = new ArrayList<>();
        for (Player player : players.values()) {
            scores.add(new GameEvent.Score(player.id, player.name, player.score));
        }
        scores.sort(Comparator.comparingInt(GameEvent.Score::score).reversed().thenComparingInt(GameEvent.Score::id));
        return List.of(new GameEvent.RoundEnded(round, List.copyOf(scores)));
    }

    private List<GameEvent> startRound() {
        intermission = false;
        ticksLeft = rules.roundTicks();
        round++;
        for (Player player : players.values()) {
            player.score = 0;
            spawn(player);
        }
        for (int c = 0; c < coinXs.length; c++) {
            placeCoin(c);
        }
        return List.of(new GameEvent.RoundStarted(round));
    }

    private void spawn(Player player) {
        player.x = randomCoordinate(rules.playerRadius());
        player.y = randomCoordinate(rules.playerRadius());
    }

    private void placeCoin(int c) {
        coinXs[c] = randomCoordinate(rules.coinRadius());
        coinYs[c] = randomCoordinate(rules.coinRadius());
    }

    private int randomCoordinate(int margin) {
        return margin + random.nextInt(rules.arenaSize() - 2 * margin);
    }

    private double clamp(double coordinate) {
        int r = rules.playerRadius();
        return Math.max(r, Math.min(rules.arenaSize() - r, coordinate));
    }

    private record Input(long seq, int dx, int dy) {
    }

    private final class Player {
        final int id;
        final String name;
        final ArrayDeque<Input> inputs = new ArrayDeque<>(rules.maxQueuedInputs());
        double x;
        double y;
        int dx;
        int dy;
        int score;
        long lastOffered;
        long lastApplied;

        Player(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }
}
