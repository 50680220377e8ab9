package io.wschat.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Disconnect;
import io.wschat.game.GameMeters;
import io.wschat.game.GamePlayer;
import io.wschat.game.GameRules;
import io.wschat.game.GameService;

/**
 * Game tick benchmark, in process: {@code N} simulated players in one game at 20 Hz, each
 * sending one binary input per tick and acknowledging the newest state it got (so it gets
 * deltas), as the page does. Prints tick p50/p99 and state bytes per player per second for each
 * N, then how many players one game, and how many in games of 50, the server's tick threads hold
 * before tick p99 passes 10 ms. Measures simulation, delta encoding and queueing; the network
 * write is left out (the connections only count bytes), so add the socket cost seen in the chat
 * benchmark when reading the figures.
 *
 * <pre>./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.wschat.bench.GameBenchmark 50 100 200 400</pre>
 */
public final class GameBenchmark {

    private static final int TICK_RATE = 20;
    private static final int SECONDS = 5;
    private static final double LIMIT_MILLIS = 10;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {50, 100, 200, 400} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("players  games  tick p50 ms  tick p99 ms  state bytes/s per player");
        for (int n : sizes) {
            print(run(1, n));
        }
        int oneGame = capacity(1);
        int server = capacity(50);
        System.out.printf("one game holds %d players, the server %d players in games of 50, before tick p99 passes %.0f ms%n",
                oneGame, server, LIMIT_MILLIS);
    }

    /** The largest player count of 50, 100, 200, 400, ... whose tick p99 stays under the limit (coarse, to keep the run short). */
    private static int capacity(int perGame) throws Exception {
        int held = 0;
        for (int players = 50; players <= 12_800; players *= 2) {
            Result result = perGame == 1 ? run(1, players) : run(players / perGame, perGame);
            if (result.p99Millis > LIMIT_MILLIS) {
                break;
            }
            held = players;
        }
        return held;
    }

    private static void print(Result r) {
        System.out.printf("%7d  %5d  %11.2f  %11.2f  %10.0f%n", r.players, r.games, r.p50Millis, r.p99Millis, r.bytesPerPlayerSecond);
    }

    record Result(int players, int games, double p50Millis, double p99Millis, double bytesPerPlayerSecond) {
    }

    static Result run(int games, int playersPerGame) throws Exception {
        int players = games * playersPerGame;
        GameRules rules = new GameRules(TICK_RATE, 4000, 300, 20, 12, 16, 60 * TICK_RATE, 5 * TICK_RATE, 4, playersPerGame);
        List<Long> ticks = new ArrayList<>();
        GameMeters meters = new GameMeters() {
            @Override
            public synchronized void tick(long nanos) {
                ticks.add(nanos);
            }

            @Override
            public void encoded(boolean full, int bytes) {
            }

            @Override
            public void conflated() {
            }

            @Override
            public void inputRefused(String reason) {
            }
        };
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        try (GameService service = new GameService(rules, threads, JsonMapper.builder().build(), meters,
                (id, address, reason) -> { }, new Random(1)::nextLong)) {
            List<Bot> bots = new ArrayList<>();
            for (int g = 0; g < games; g++) {
                for (int p = 0; p < playersPerGame; p++) {
                    Bot bot = new Bot("bot-" + g + "-" + p);
                    bot.player = service.join("bench-" + g, bot, bot.id(), true);
                    bots.add(bot);
                }
            }
            Random random = new Random(2);
            long period = 1_000_000_000L / TICK_RATE;
            long start = System.nanoTime();
            long warmup = start + 1_000_000_000L;
            long end = warmup + SECONDS * 1_000_000_000L;
            long bytesAtWarmup = 0;
            boolean warm = false;
            for (long next = start; System.nanoTime() < end; next += period) {
                if (!warm && System.nanoTime() >= warmup) {
                    warm = true;
                    synchronized (meters) {
                        ticks.clear();
                    }
                    bytesAtWarmup = bots.stream().mapToLong(b -> b.bytes.get()).sum();
                }
                for (Bot bot : bots) {
                    bot.seq++;
                    if (random.nextInt(10) == 0) {
                        bot.dx = random.nextInt(201) - 100;
                        bot.dy = random.nextInt(201) - 100;
                    }
                    service.onBinary(bot.player, ByteBuffer.allocate(11).put((byte) 0x10).putInt(bot.seq)
                            .put((byte) bot.dx).put((byte) bot.dy).putInt(bot.lastTick.get()).flip());
                }
                long sleep = next + period - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            long bytes = bots.stream().mapToLong(b -> b.bytes.get()).sum() - bytesAtWarmup;
            long[] sorted;
            synchronized (meters) {
                sorted = ticks.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            return new Result(players, games, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    (double) bytes / players / SECONDS);
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** A player that writes nothing anywhere: it counts the bytes it is sent and remembers the newest tick. */
    static final class Bot implements ClientConnection {
        private static final AtomicInteger IDS = new AtomicInteger();
        private final String id;
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger lastTick = new AtomicInteger();
        GamePlayer player;
        int seq;
        int dx;
        int dy;

        Bot(String name) {
            this.id = name + "-" + IDS.incrementAndGet();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public void send(String encodedFrame) {
            bytes.addAndGet(encodedFrame.length());
        }

        @Override
        public boolean sendLatest(String key, String encodedFrame) {
            bytes.addAndGet(encodedFrame.length());
            return false;
        }

        @Override
        public boolean sendLatest(String key, byte[] binaryFrame) {
            bytes.addAndGet(binaryFrame.length);
            lastTick.set(ByteBuffer.wrap(binaryFrame).getInt(1));
            return false;
        }

        @Override
        public void close(Disconnect reason) {
        }
    }
}
