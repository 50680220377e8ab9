package io.wschat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;

import io.wschat.bench.Measure.Cpu;
import io.wschat.bench.Measure.Latencies;
import io.wschat.bench.Measure.Latency;
import io.wschat.bench.Measure.Window;

/**
 * Echo in a closed loop: C connections to {@code /echo}, each sending its next message as soon
 * as the answer ({@code got your message: <text>}) to the last one arrived. After a warm-up,
 * counts round trips and their latency, and the server's CPU per round trip.
 */
final class EchoScenario {

    static final int PREFIX_LENGTH = "got your message: ".length();

    /**
     * @param wrongAnswers answers that were not {@code got your message: <text>} (by length)
     */
    record Result(int connections, int opened, double seconds, long roundTrips, double roundTripsPerSecond,
                  Latency latency, long wrongAnswers, double serverCpuMicrosPerRoundTrip, double serverCpuPercent,
                  double generatorCpuPercent) {
    }

    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder wrongAnswers = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Latencies latencies = new Latencies();
    private volatile boolean running = true;

    static Result run(ServerUnderTest server, LoadClient client, BenchSettings settings) {
        return new EchoScenario().measure(server, client, settings);
    }

    private Result measure(ServerUnderTest server, LoadClient client, BenchSettings settings) {
        BenchSettings.Echo echo = settings.echo();
        String text = "e".repeat(settings.messageSize());
        Measure.Sources sources = new Measure.Sources(settings.sources());
        List<LoadClient.Connection> connections = new ArrayList<>();
        List<Looper> loopers = new ArrayList<>();
        Measure.Opened opened = Measure.openAll(echo.connections(), echo.connections(), echo.connections(), i -> {
            Looper looper = new Looper(text);
            return client.connect(server.uri("/echo"), sources.next(), looper).thenAccept(connection -> {
                synchronized (connections) {
                    connections.add(connection);
                    loopers.add(looper);
                }
            });
        });
        for (int i = 0; i < connections.size(); i++) {
            loopers.get(i).next(connections.get(i));
        }
        Measure.hold(echo.warmup());
        latencies.reset();
        long before = roundTrips.sum();
        Window window = Window.start(server.stats());
        Measure.hold(echo.duration());
        long count = roundTrips.sum() - before;
        Cpu cpu = window.end();
        Latency latency = latencies.take();
        running = false;
        Measure.await(() -> inFlight.get() == 0, Duration.ofSeconds(10));
        closeAll(connections);
        return new Result(echo.connections(), opened.succeeded(), cpu.seconds(), count, count / cpu.seconds(), latency,
                wrongAnswers.sum(), cpu.serverMicrosPer(count), cpu.serverPercent(), cpu.clientPercent());
    }

    static void closeAll(List<LoadClient.Connection> connections) {
        CompletableFuture.allOf(connections.stream().map(LoadClient.Connection::close).toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, 60, TimeUnit.SECONDS).join();
    }

    /** One connection's loop: send, wait for the answer, record, send again. */
    private final class Looper implements LoadClient.Listener {
        private final String text;
        private long sentAt;
        private boolean waiting;

        Looper(String text) {
            this.text = text;
        }

        void next(LoadClient.Connection connection) {
            if (running && connection.isOpen()) {
                inFlight.incrementAndGet();
                waiting = true;
                sentAt = System.nanoTime();
                connection.send(text);
            }
        }

        @Override
        public void onText(LoadClient.Connection connection, ByteBuf payload, boolean whole) {
            latencies.record(System.nanoTime() - sentAt);
            if (payload.readableBytes() == PREFIX_LENGTH + text.length()) {
                roundTrips.increment();
            } else {
                wrongAnswers.increment();
            }
            waiting = false;
            inFlight.decrementAndGet();
            next(connection);
        }

        @Override
        public void onClosed(LoadClient.Connection connection, int code) {
            if (waiting) {
                waiting = false;
                inFlight.decrementAndGet();
            }
        }
    }
}
