package io.wschat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import io.wschat.bench.Measure.Cpu;
import io.wschat.bench.Measure.Window;

/**
 * N idle connections to {@code /echo}, opened with H handshakes in flight from several loopback
 * source addresses, twice. First on the freshly started server (after one round of a tenth of them,
 * opened and closed), and held: how many fail, how many are still open after the hold, and what each
 * costs the server in resident memory (VmRSS after minus before, divided by the connections opened), a
 * server whose memory has not yet grown by any earlier load. Then, after rounds of opening and closing
 * them for {@code connections.warmup}, again: how fast they open and what each costs the server in CPU
 * to accept, measured warm as the other scenarios are (the rate on the fresh server is reported too).
 */
final class ConnectionsScenario {

    /** Descriptors the generator keeps for itself beyond one per connection (jars, the JDK, stdio). */
    private static final int SPARE_DESCRIPTORS = 300;

    /**
     * @param held       still open at the end of the hold
     * @param failures   why handshakes failed, by message
     * @param stoppedEarly no more were started after {@code connections.max-failures} failures
     * @param freshConnectionsPerSecond the rate of the first N, on the fresh server
     * @param seconds    how long the warm N took to open, which {@code connectionsPerSecond} and the CPU figures are of
     */
    record Result(int count, int opened, int failed, boolean stoppedEarly, Map<String, Long> failures,
                  double freshConnectionsPerSecond, long held, double rssBeforeMiB, double rssAfterMiB, double rssKiBPerConnection,
                  int warmOpened, int warmFailed, double seconds, double connectionsPerSecond,
                  double serverCpuMicrosPerConnection, double generatorCpuPercent) {
    }

    private ConnectionsScenario() {
    }

    static Result run(ServerUnderTest server, LoadClient client, BenchSettings settings) {
        BenchSettings.Connections c = settings.connections();
        long limit = ProcessStats.self().openFilesLimit();
        if (c.count() + SPARE_DESCRIPTORS > limit) {
            throw new IllegalStateException("connections.count=" + c.count() + " needs about " + (c.count() + SPARE_DESCRIPTORS)
                    + " open files but this process may open " + limit + ": raise it (ulimit -n) or lower connections.count");
        }
        Measure.Sources sources = new Measure.Sources(settings.sources());
        LoadClient.Listener idle = (connection, payload, whole) -> { };
        List<LoadClient.Connection> connections = new ArrayList<>();
        IntFunction<CompletableFuture<?>> open = i -> client.connect(server.uri("/echo"), sources.next(), idle)
                .thenAccept(connection -> {
                    synchronized (connections) {
                        connections.add(connection);
                    }
                });
        Runnable round = () -> {
            Measure.openAll(Math.max(1, c.count() / 10), c.handshakes(), c.maxFailures(), open);
            EchoScenario.closeAll(connections);
            connections.clear();
        };

        round.run();
        ProcessStats stats = server.stats();
        long rssBefore = stats.residentKiB();
        Measure.Opened fresh = Measure.openAll(c.count(), c.handshakes(), c.maxFailures(), open);
        Measure.hold(c.hold());
        long held = connections.stream().filter(LoadClient.Connection::isOpen).count();
        long rssAfter = server.isAlive() ? stats.residentKiB() : 0;
        EchoScenario.closeAll(connections);
        connections.clear();

        // Rounds, not measured, until the server's and the generator's code is compiled (with one round of 1,900
        // handshakes C2 still took a third of the server's CPU while it measured, and the generator, cold when it
        // measured the first target, spent 390 µs of CPU per connection where warm it spends 100–125).
        long warmupEnd = System.nanoTime() + c.warmup().toNanos();
        while (server.isAlive() && System.nanoTime() < warmupEnd) {
            round.run();
        }
        Window window = Window.start(stats);
        Measure.Opened warm = Measure.openAll(c.count(), c.handshakes(), c.maxFailures(), open);
        Cpu cpu = window.end();
        EchoScenario.closeAll(connections);
        return new Result(c.count(), fresh.succeeded(), fresh.failed(), fresh.attempted() < c.count(), fresh.failures(),
                fresh.succeeded() / fresh.seconds(), held, rssBefore / 1024.0, rssAfter / 1024.0,
                fresh.succeeded() == 0 || rssAfter == 0 ? Double.NaN : (double) (rssAfter - rssBefore) / fresh.succeeded(),
                warm.succeeded(), warm.failed(), warm.seconds(), warm.succeeded() / warm.seconds(),
                cpu.serverMicrosPer(warm.succeeded()), cpu.clientPercent());
    }
}
