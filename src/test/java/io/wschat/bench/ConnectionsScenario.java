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
 * source addresses, then held: how fast they open, how many fail, how many are still open after
 * the hold, and what each costs the server in resident memory (VmRSS after minus before, divided
 * by the connections opened) and in CPU to accept.
 */
final class ConnectionsScenario {

    /** Descriptors the generator keeps for itself beyond one per connection (jars, the JDK, stdio). */
    private static final int SPARE_DESCRIPTORS = 300;

    /**
     * @param held       still open at the end of the hold
     * @param failures   why handshakes failed, by message
     * @param stoppedEarly no more were started after {@code connections.max-failures} failures
     */
    record Result(int count, int opened, int failed, boolean stoppedEarly, Map<String, Long> failures, double seconds,
                  double connectionsPerSecond, long held, double rssBeforeMiB, double rssAfterMiB, double rssKiBPerConnection,
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
        // A warm-up round, not measured, so the generator's code is compiled before the first
        // measured handshake whichever target runs first.
        IntFunction<CompletableFuture<?>> open = i -> client.connect(server.uri("/echo"), sources.next(), idle)
                .thenAccept(connection -> {
                    synchronized (connections) {
                        connections.add(connection);
                    }
                });
        Measure.openAll(Math.max(1, c.count() / 10), c.handshakes(), c.maxFailures(), open);
        EchoScenario.closeAll(connections);
        connections.clear();
        ProcessStats stats = server.stats();
        long rssBefore = stats.residentKiB();
        Window window = Window.start(stats);
        Measure.Opened opened = Measure.openAll(c.count(), c.handshakes(), c.maxFailures(), open);
        Cpu cpu = window.end();
        Measure.hold(c.hold());
        long held = connections.stream().filter(LoadClient.Connection::isOpen).count();
        long rssAfter = server.isAlive() ? stats.residentKiB() : 0;
        EchoScenario.closeAll(connections);
        return new Result(c.count(), opened.succeeded(), opened.failed(), opened.attempted() < c.count(), opened.failures(),
                opened.seconds(), opened.succeeded() / opened.seconds(), held, rssBefore / 1024.0, rssAfter / 1024.0,
                opened.succeeded() == 0 || rssAfter == 0 ? Double.NaN : (double) (rssAfter - rssBefore) / opened.succeeded(),
                cpu.serverMicrosPer(opened.succeeded()), cpu.clientPercent());
    }
}
