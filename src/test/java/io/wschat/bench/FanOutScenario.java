package io.wschat.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import io.wschat.bench.Measure.Cpu;
import io.wschat.bench.Measure.Latencies;
import io.wschat.bench.Measure.Latency;
import io.wschat.bench.Measure.Window;

/**
 * One room: R members join through {@code /chat} with H handshakes in flight, then K of them send
 * at a fixed rate, open loop (each message leaves when its time comes, whatever the server has
 * answered), and every member measures each message's latency from the time it was due. Then the
 * rate is doubled until the room no longer keeps up, to find the highest rate it sustains.
 *
 * <p>The generator relies on little of the protocol: a member has joined when its first frame, a
 * {@code welcome}, arrives; a chat message is a frame that carries the text it was sent with,
 * {@code ~<due time in ns>~xxx…}, which both servers put in the {@code message} event as it is.
 * Every other frame (presence, acknowledgements) is counted as traffic and otherwise ignored.
 */
final class FanOutScenario {

    /** Highest sustainable: at least this share delivered … */
    static final double SUSTAINED_DELIVERY = 0.99;
    /** … with a p99 latency of at most this. */
    static final double SUSTAINED_P99_MS = 1000;

    /** A message event is a small frame; larger ones (welcome, presence with member lists) are not searched for the marker. */
    private static final int LARGEST_MESSAGE_FRAME = 8192;
    private static final ByteBuf WELCOME = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("\"welcome\"", StandardCharsets.US_ASCII).asReadOnly());
    private static final byte MARK = '~';
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration DRAIN_STALL = Duration.ofSeconds(2);
    /** Percent of a core per generator thread above which the generator, not the server, may be the limit. */
    static final double GENERATOR_BOUND = 90;

    /**
     * @param joinSeconds           from the first handshake until the last member had its welcome
     * @param settleSeconds         from then until the server stopped sending (the presence events of the joins)
     * @param closedWhileJoining    members the server closed while the room formed (their close codes beside)
     * @param joinMiB               what the server sent the members while the room formed (welcomes, presence)
     * @param atRate                the room at the configured rate
     * @param steps                 every rate the search tried, in order
     * @param highestSustainedRate  the highest rate that had ≥ 99% delivered with p99 ≤ 1 s; 0 when none did
     * @param searchCapped          the search reached its maximum rate without failing
     */
    record Result(int members, int joined, double joinSeconds, double settleSeconds, long closedWhileJoining,
                  Map<Integer, Long> closeCodesWhileJoining, Map<String, Long> joinFailures, double joinMiB,
                  double joinServerCpuPercent, double joinGeneratorCpuPercent, Rate atRate,
                  List<Rate> steps, double highestSustainedRate, boolean searchCapped) {
    }

    /**
     * One rate.
     *
     * @param expected       messages sent × room members (the members the server closed count as not delivered)
     * @param membersClosed  members the server closed while this rate ran
     * @param generatorBound the generator used nearly all its threads' CPU: the server may be able to do more than measured
     */
    record Rate(double rate, double seconds, int senders, long sent, long expected, long delivered, double deliveredRatio,
                double deliveriesPerSecond, Latency latency, long membersClosed, double serverCpuMicrosPerDelivery,
                double serverCpuPercent, double generatorCpuPercent, boolean generatorBound, boolean sustained) {
    }

    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final AtomicLong lastDelivery = new AtomicLong();
    private final Latencies latencies = new Latencies();
    /** Due times in the text are relative to this, so they are positive. */
    private final long base = System.nanoTime();
    private final List<LoadClient.Connection> members = new ArrayList<>();
    private final ProcessStats serverStats;

    private FanOutScenario(ProcessStats serverStats) {
        this.serverStats = serverStats;
    }

    static Result run(ServerUnderTest server, LoadClient client, BenchSettings settings) {
        return new FanOutScenario(server.stats()).measure(server, client, settings);
    }

    private Result measure(ServerUnderTest server, LoadClient client, BenchSettings settings) {
        BenchSettings.FanOut fanout = settings.fanout();
        String room = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Measure.Sources sources = new Measure.Sources(settings.sources());
        Window joining = Window.start(serverStats);
        Measure.Opened joins = Measure.openAll(fanout.members(), fanout.handshakes(), fanout.members(), i -> {
            Member member = new Member();
            return client.connect(server.uri("/chat?room=" + room + "&name=m" + i), sources.next(), member)
                    .thenCompose(connection -> member.welcomed
                            .orTimeout(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .thenRun(() -> {
                                synchronized (members) {
                                    members.add(connection);
                                }
                            }));
        });
        double settle = Measure.awaitQuiet(frames, QUIET, fanout.settle());
        Cpu joinCpu = joining.end();
        double joinMiB = bytes.sum() / (1024.0 * 1024.0);
        long closedJoining = closed.sum();
        Map<Integer, Long> codes = new ConcurrentHashMap<>();
        closeCodes.forEach((code, n) -> codes.put(code, n.sum()));

        send(client, settings, fanout.searchStart(), fanout.warmup());
        Rate atRate = send(client, settings, fanout.rate(), fanout.duration());
        List<Rate> steps = new ArrayList<>();
        double best = 0;
        double failedAt = Double.NaN;
        for (double rate = fanout.searchStart(); rate <= fanout.searchMax() && anyOpen(); rate *= 2) {
            Rate step = send(client, settings, rate, fanout.searchStep());
            steps.add(step);
            if (!step.sustained()) {
                failedAt = rate;
                break;
            }
            best = rate;
        }
        // Two halvings of the gap between the last rate that held and the first that did not,
        // unless that one closed members (the room is then not the same room any more).
        boolean refine = !Double.isNaN(failedAt) && steps.get(steps.size() - 1).membersClosed() == 0;
        for (int i = 0; refine && i < 2 && anyOpen(); i++) {
            double rate = Math.round((best + failedAt) / 2);
            if (rate <= best || rate >= failedAt) {
                break;
            }
            Rate step = send(client, settings, rate, fanout.searchStep());
            steps.add(step);
            if (step.sustained()) {
                best = rate;
            } else {
                failedAt = rate;
                refine = step.membersClosed() == 0;
            }
        }
        EchoScenario.closeAll(members);
        return new Result(fanout.members(), joins.succeeded(), joins.seconds(), settle, closedJoining, codes,
                joins.failures(), joinMiB, joinCpu.serverPercent(), joinCpu.clientPercent(), atRate, steps, best,
                Double.isNaN(failedAt));
    }

    private boolean anyOpen() {
        return members.stream().anyMatch(LoadClient.Connection::isOpen);
    }

    /** Sends at {@code rate} for {@code duration}, then waits until every delivery arrived or they stopped coming. */
    private Rate send(LoadClient client, BenchSettings settings, double rate, Duration duration) {
        List<LoadClient.Connection> senders = members.stream().filter(LoadClient.Connection::isOpen)
                .limit(settings.fanout().senders()).toList();
        long total = senders.isEmpty() ? 0 : Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        long expected = total * settings.fanout().members();
        String padding = "x".repeat(Math.max(0, settings.messageSize() - 22));
        long intervalNanos = Math.round(1e9 / rate);

        latencies.reset();
        long deliveredBefore = deliveries.sum();
        long closedBefore = closed.sum();
        Window window = Window.start(serverStats);
        long start = System.nanoTime();
        lastDelivery.set(start);
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        long[] sent = {0};
        // The pacer wakes every millisecond and sends every message whose time has come, each
        // stamped with its due time: a late send shows as latency, not as a lower rate.
        ScheduledFuture<?> pacer = client.group().next().scheduleAtFixedRate(() -> {
            try {
                long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
                for (; sent[0] < due; sent[0]++) {
                    long dueAt = start + sent[0] * intervalNanos - base;
                    senders.get((int) (sent[0] % senders.size())).send("~" + dueAt + "~" + padding);
                }
                if (sent[0] >= total) {
                    allSent.complete(null);
                }
            } catch (RuntimeException e) {
                allSent.completeExceptionally(e);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        if (total == 0) {
            allSent.complete(null);
        }
        try {
            allSent.orTimeout(duration.toSeconds() + 60, TimeUnit.SECONDS).join();
        } finally {
            pacer.cancel(false);
        }
        awaitDeliveries(deliveredBefore + expected);
        Cpu cpu = window.end();
        long delivered = deliveries.sum() - deliveredBefore;
        double deliverySeconds = Math.max(1e-9, (lastDelivery.get() - start) / 1e9);
        Latency latency = latencies.take();
        double ratio = expected == 0 ? 0 : (double) delivered / expected;
        boolean sustained = expected > 0 && ratio >= SUSTAINED_DELIVERY && latency.p99() <= SUSTAINED_P99_MS;
        return new Rate(rate, duration.toNanos() / 1e9, senders.size(), total, expected, delivered, ratio,
                delivered / deliverySeconds, latency, closed.sum() - closedBefore, cpu.serverMicrosPer(delivered),
                cpu.serverPercent(), cpu.clientPercent(), cpu.clientPercent() >= GENERATOR_BOUND * settings.threads(), sustained);
    }

    private void awaitDeliveries(long target) {
        long last = deliveries.sum();
        long lastChange = System.nanoTime();
        while (last < target && System.nanoTime() - lastChange < DRAIN_STALL.toNanos()) {
            Measure.hold(Duration.ofMillis(20));
            long now = deliveries.sum();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
    }

    /** One member: joined at its welcome; counts the chat messages it receives and their latency. */
    private final class Member implements LoadClient.Listener {
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();

        @Override
        public void onText(LoadClient.Connection connection, ByteBuf payload, boolean whole) {
            long now = System.nanoTime();
            frames.increment();
            bytes.add(payload.readableBytes());
            if (!welcomed.isDone()) {
                if (ByteBufUtil.indexOf(WELCOME, payload) >= 0) {
                    welcomed.complete(null);
                } else {
                    welcomed.completeExceptionally(new IllegalStateException("the first frame was not a welcome: "
                            + payload.toString(payload.readerIndex(), Math.min(200, payload.readableBytes()), StandardCharsets.UTF_8)));
                }
                return;
            }
            if (!whole || payload.readableBytes() > LARGEST_MESSAGE_FRAME) {
                return;
            }
            int mark = payload.indexOf(payload.readerIndex(), payload.writerIndex(), MARK);
            if (mark < 0) {
                return;
            }
            long dueAt = LoadClient.number(payload, mark + 1, MARK);
            if (dueAt >= 0) {
                latencies.record(now - base - dueAt);
                deliveries.increment();
                lastDelivery.accumulateAndGet(now, Math::max);
            }
        }

        @Override
        public void onClosed(LoadClient.Connection connection, int code) {
            if (!connection.closedByUs()) {
                closed.increment();
                closeCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
            }
            welcomed.completeExceptionally(new IllegalStateException("closed with " + code + " before its welcome"));
        }
    }
}
