package io.wschat.game;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulation through its own interface: explicit ticks, a fixed seed, no clock and no network. */
class WorldTests {

    /** 10 ticks per second, 30 units per tick at full stick, a 3-tick round and a 2-tick intermission. */
    static final GameRules RULES = new GameRules(10, 1000, 300, 20, 10, 3, 30, 20, 4, 8);

    @Test
    void shouldProduceTheSameSnapshotsFromTheSameSeedAndInputs() {
        assertThat(play(42)).isEqualTo(play(42));
        assertThat(play(42)).isNotEqualTo(play(43));
    }

    private static List<String> play(long seed) {
        World world = new World(RULES, seed);
        int a = world.join("a");
        int b = world.join("b");
        List<String> trace = new ArrayList<>();
        for (int t = 1; t <= 60; t++) {
            world.offer(a, t, 100, t % 7 * 10 - 30);
            world.offer(b, t, -50, 100);
            world.step();
            Snapshot s = world.snapshot();
            trace.add(s.tick() + ":" + java.util.Arrays.toString(s.xs()) + java.util.Arrays.toString(s.ys())
                    + java.util.Arrays.toString(s.scores()) + java.util.Arrays.toString(s.coinXs()));
        }
        return trace;
    }

    @Test
    void shouldMoveOneStepPerTickAndAcknowledgeTheInputApplied() {
        World world = new World(RULES, 1);
        int id = world.join("a");
        Snapshot before = world.snapshot();
        int x0 = before.xs()[0];
        world.offer(id, 1, 100, 0);
        world.offer(id, 2, 100, 0);
        world.step();
        assertThat(world.lastApplied(id)).isEqualTo(1);
        int x1 = world.snapshot().xs()[0];
        world.step();
        assertThat(world.lastApplied(id)).isEqualTo(2);
        // Moving right from the spawn, unless the wall stops it.
        assertThat(x1).isEqualTo(Math.min(x0 + 30, 980));
        world.step();
        assertThat(world.snapshot().xs()[0]).as("the last direction is held when no input arrives")
                .isEqualTo(Math.min(x0 + 90, 980));
    }

    @Test
    void shouldKeepPlayersInsideTheArena() {
        World world = new World(new GameRules(10, 1000, 300, 20, 10, 3, 600, 20, 4, 8), 1);
        int id = world.join("a");
        for (int t = 1; t <= 50; t++) {
            world.offer(id, t, -100, -100);
            world.step();
        }
        Snapshot s = world.snapshot();
        assertThat(s.xs()[0]).isEqualTo(20);
        assertThat(s.ys()[0]).isEqualTo(20);
    }

    @Test
    void shouldPushCollidingPlayersApart() {
        World world = new World(new GameRules(10, 1000, 300, 20, 10, 3, 600, 20, 4, 8), 1);
        int a = world.join("a");
        int b = world.join("b");
        // Each steers straight at the other: they meet and press against each other, never overlapping.
        for (int t = 1; t <= 60; t++) {
            Snapshot s = world.snapshot();
            int dx = Integer.signum(s.xs()[1] - s.xs()[0]) * 100;
            int dy = Integer.signum(s.ys()[1] - s.ys()[0]) * 100;
            world.offer(a, t, dx, dy);
            world.offer(b, t, -dx, -dy);
            world.step();
        }
        Snapshot s = world.snapshot();
        double distance = Math.hypot(s.xs()[0] - s.xs()[1], s.ys()[0] - s.ys()[1]);
        assertThat(distance).isGreaterThanOrEqualTo(2 * RULES.playerRadius() - 1.0);
    }

    @Test
    void shouldScoreACoinAndMoveIt() {
        GameRules oneCoin = new GameRules(10, 1000, 300, 20, 10, 1, 600, 20, 4, 8);
        World world = new World(oneCoin, 7);
        int id = world.join("a");
        long seq = 0;
        // Steer at the coin until it is collected.
        for (int t = 0; t < 400 && world.snapshot().scores()[0] == 0; t++) {
            Snapshot s = world.snapshot();
            int dx = Integer.signum(s.coinXs()[0] - s.xs()[0]) * 100;
            int dy = Integer.signum(s.coinYs()[0] - s.ys()[0]) * 100;
            world.offer(id, ++seq, dx, dy);
            world.step();
        }
        assertThat(world.snapshot().scores()[0]).isEqualTo(1);
    }

    @Test
    void shouldEndTheRoundWithScoresThenStartTheNextAtZero() {
        World world = new World(RULES, 3);
        world.join("a");
        world.join("b");
        List<GameEvent> events = new ArrayList<>();
        for (int t = 0; t < RULES.roundTicks(); t++) {
            events.addAll(world.step());
        }
        assertThat(events).singleElement().isInstanceOfSatisfying(GameEvent.RoundEnded.class, ended -> {
            assertThat(ended.round()).isEqualTo(1);
            assertThat(ended.scores()).extracting(GameEvent.Score::name).containsExactlyInAnyOrder("a", "b");
        });
        assertThat(world.snapshot().intermission()).isTrue();
        events.clear();
        for (int t = 0; t < RULES.intermissionTicks(); t++) {
            events.addAll(world.step());
        }
        assertThat(events).containsExactly(new GameEvent.RoundStarted(2));
        Snapshot s = world.snapshot();
        assertThat(s.round()).isEqualTo(2);
        assertThat(s.intermission()).isFalse();
        assertThat(s.scores()).containsOnly(0);
    }

    @Test
    void shouldRefuseInputsOutOfRangeTooFastStaleOrForAnotherPlayer() {
        World world = new World(RULES, 1);
        int id = world.join("a");
        assertThat(world.offer(id, 1, 101, 0)).isEqualTo(InputVerdict.OUT_OF_RANGE);
        assertThat(world.offer(id, 1, 0, -101)).isEqualTo(InputVerdict.OUT_OF_RANGE);
        assertThat(world.offer(id, 0, 0, 0)).isEqualTo(InputVerdict.OUT_OF_RANGE);
        assertThat(world.offer(id, 1L << 32, 0, 0)).isEqualTo(InputVerdict.OUT_OF_RANGE);
        assertThat(world.offer(id + 1, 1, 0, 0)).isEqualTo(InputVerdict.NOT_YOUR_PLAYER);
        for (int seq = 1; seq <= RULES.maxQueuedInputs(); seq++) {
            assertThat(world.offer(id, seq, 0, 0)).isEqualTo(InputVerdict.ACCEPTED);
        }
        assertThat(world.offer(id, 99, 0, 0)).isEqualTo(InputVerdict.TOO_FAST);
        assertThat(world.offer(id, 2, 0, 0)).isEqualTo(InputVerdict.STALE);
        world.step();
        assertThat(world.offer(id, 100, 0, 0)).as("one applied per tick makes room for one more").isEqualTo(InputVerdict.ACCEPTED);
    }

    @Test
    void shouldGiveTheLowestFreeIdAndForgetPlayersWhoLeave() {
        World world = new World(RULES, 1);
        int a = world.join("a");
        int b = world.join("b");
        world.leave(a);
        assertThat(world.join("c")).isEqualTo(a);
        world.leave(a);
        world.leave(b);
        assertThat(world.isEmpty()).isTrue();
    }
}
