package io.wschat.bench;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the scenarios share: opening many connections, waiting, latency and CPU over a phase. */
final class Measure {

    private Measure() {
    }

    /** Latency percentiles of a phase, in milliseconds. */
    record Latency(long count, double p50, double p90, double p99, double max) {

        static Latency of(Histogram micros) {
            return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /** Latencies recorded from any event-loop thread, in microseconds, up to a minute. */
    static final class Latencies {
        private static final long HIGHEST = TimeUnit.MINUTES.toMicros(1);
        private final Recorder recorder = new Recorder(HIGHEST, 3);

        void record(long nanos) {
            recorder.recordValue(Math.max(0, Math.min(HIGHEST, nanos / 1000)));
        }

        /** Forgets what was recorded so far (a warm-up). */
        void reset() {
            recorder.getIntervalHistogram();
        }

        /** What was recorded since the last reset or take. */
        Latency take() {
            return Latency.of(recorder.getIntervalHistogram());
        }
    }

    /**
     * CPU of the server and of the generator itself over a phase. The server's is divided by the
     * operations of the phase; the generator's is given as a share of one core, to show it was not
     * the bottleneck.
     */
    record Window(long startNanos, long serverCpuStart, long clientCpuStart, ProcessStats server) {

        static Window start(ProcessStats server) {
            return new Window(System.nanoTime(), server.cpuMicros(), ProcessStats.self().cpuMicros(), server);
        }

        /** The server's CPU is -1 when it is gone (it crashed during the phase). */
        Cpu end() {
            long serverMicros;
            try {
                serverMicros = server.cpuMicros() - serverCpuStart;
            } catch (UncheckedIOException gone) {
                serverMicros = -1;
            }
            return new Cpu((System.nanoTime() - startNanos) / 1e9, serverMicros, ProcessStats.self().cpuMicros() - clientCpuStart);
        }
    }

    /** @param seconds wall time of the phase */
    record Cpu(double seconds, long serverMicros, long clientMicros) {

        double serverMicrosPer(long operations) {
            return operations == 0 || serverMicros < 0 ? Double.NaN : (double) serverMicros / operations;
        }

        /** The generator's CPU as a share of one core, in percent. */
        double clientPercent() {
            return seconds == 0 ? Double.NaN : clientMicros / (seconds * 1e4);
        }

        /** The server's CPU as a share of one core, in percent. */
        double serverPercent() {
            return seconds == 0 || serverMicros < 0 ? Double.NaN : serverMicros / (seconds * 1e4);
        }
    }

    /** Source addresses 127.0.0.1 … 127.0.0.N in turn: each has its own ephemeral ports, so 19,000+ connections fit. */
    static final class Sources {
        private final int count;
        private final AtomicInteger next = new AtomicInteger();

        Sources(int count) {
            this.count = count;
        }

        InetSocketAddress next() {
            return new InetSocketAddress("127.0.0." + (1 + Math.floorMod(next.getAndIncrement(), count)), 0);
        }
    }

    /**
     * How a batch of openings went.
     *
     * @param failures why the failed ones failed, by message
     */
    record Opened(int attempted, int succeeded, int failed, double seconds, Map<String, Long> failures) {
    }

    /**
     * Runs {@code open} for 0 … count-1 with at most {@code inFlight} not yet complete, like a crowd
     * arriving; stops starting new ones after {@code maxFailures} failures.
     */
    static Opened openAll(int count, int inFlight, int maxFailures, IntFunction<CompletableFuture<?>> open) {
        Semaphore permits = new Semaphore(inFlight);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        AtomicLong lastDone = new AtomicLong(start);
        int attempted = 0;
        for (int i = 0; i < count && failed.get() < maxFailures; i++) {
            permits.acquireUninterruptibly();
            attempted++;
            open.apply(i).whenComplete((result, error) -> {
                if (error == null) {
                    succeeded.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    failures.computeIfAbsent(String.valueOf(cause.getMessage()), k -> new LongAdder()).increment();
                }
                lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                permits.release();
            });
        }
        permits.acquireUninterruptibly(inFlight);
        Map<String, Long> reasons = new ConcurrentHashMap<>();
        failures.forEach((reason, n) -> reasons.put(reason, n.sum()));
        return new Opened(attempted, succeeded.get(), failed.get(), (lastDone.get() - start) / 1e9, reasons);
    }

    /** Waits until {@code done} holds, checking every 50 ms, at most {@code timeout}; says whether it held. */
    static boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            hold(Duration.ofMillis(50));
        }
        return true;
    }

    /**
     * Waits until {@code counter} has not moved for {@code quiet}, at most {@code timeout}:
     * how the generator tells that a server has sent all it was going to.
     *
     * @return the seconds it took
     */
    static double awaitQuiet(LongAdder counter, Duration quiet, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long last = counter.sum();
        long lastChange = start;
        while (System.nanoTime() - lastChange < quiet.toNanos() && System.nanoTime() < deadline) {
            hold(Duration.ofMillis(50));
            long now = counter.sum();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
        return (lastChange - start) / 1e9;
    }

    /** Lets a measured phase run for {@code duration}: the wait is the measurement, not a synchronisation. */
    static void hold(Duration duration) {
        new CompletableFuture<Void>().completeOnTimeout(null, duration.toNanos(), TimeUnit.NANOSECONDS).join();
    }
}
