package io.wschat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.wschat.bench.BenchSettings.Target;

/**
 * One server process of a run: our jar or the Node.js reference, started fresh on a free port,
 * its output in {@code out/<target>-<scenario>.log}, measured through {@code /proc} by its pid.
 */
final class ServerUnderTest implements AutoCloseable {

    /**
     * Turned off so the load is not refused: the rate limits (chat and echo), the per-address,
     * total and echo connection caps and the member cap (every benchmark client comes from the
     * loopback range). The cap derived from the heap stays: it is what keeps the server alive.
     */
    static final List<String> LIMITS_OFF = List.of(
            "--chat.limits.rate.messages-per-second=0",
            "--chat.limits.connections-per-address=0",
            "--chat.limits.max-connections=0",
            "--chat.limits.echo.max-connections=0",
            "--chat.limits.echo.rate.messages-per-second=0",
            "--chat.limits.max-members-per-room=0");

    final Target target;
    final int port;
    private final Process process;
    private final Path log;
    /** A run stopped with Ctrl-C must not leave a server behind. */
    private final Thread killOnExit;

    private ServerUnderTest(Target target, int port, Process process, Path log) {
        this.target = target;
        this.port = port;
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "bench-stop-" + target.label);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static ServerUnderTest start(Target target, BenchSettings settings, String scenario, LoadClient client) {
        // The free port is only free until someone else takes it (other builds on the machine): then try another.
        for (int attempt = 1; ; attempt++) {
            ServerUnderTest server = launch(target, settings, scenario, freePort());
            try {
                server.awaitReady(client, settings.startTimeout());
                return server;
            } catch (IllegalStateException e) {
                if (attempt == 3 || server.isAlive() || !server.lostItsPort()) {
                    throw e;
                }
                server.close();
            }
        }
    }

    private static ServerUnderTest launch(Target target, BenchSettings settings, String scenario, int port) {
        Path out = settings.out().toAbsolutePath();
        Path workDir = out.resolve(target.label + "-server");
        Path log = out.resolve(target.label + "-" + scenario + ".log");
        List<String> command = new ArrayList<>();
        if (target == Target.WS) {
            command.addAll(List.of("node", settings.wsServer().toAbsolutePath().toString(), Integer.toString(port)));
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.stream(settings.javaOpts().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
            command.addAll(List.of("-jar", settings.jar().toAbsolutePath().toString(), "--server.port=" + port));
            command.addAll(LIMITS_OFF);
            if (target == Target.OURS_MEMORY) {
                command.add("--chat.history.store=memory");
            }
        }
        try {
            // A fresh working directory: our server keeps its SQLite history in ./data, which starts empty.
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServerUnderTest(target, port, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Whether the process exited because its port was taken (Spring Boot's and Node's words for it). */
    private boolean lostItsPort() {
        try {
            String output = Files.readString(log);
            return output.contains("already in use") || output.contains("EADDRINUSE");
        } catch (IOException e) {
            return false;
        }
    }

    long pid() {
        return process.pid();
    }

    ProcessStats stats() {
        return ProcessStats.of(process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    String exitDescription() {
        return process.isAlive() ? "running" : "exited with " + process.exitValue() + " (see " + log + ")";
    }

    /** Ready when a WebSocket to /echo opens: the same path the scenarios take, for both servers. */
    private void awaitReady(LoadClient client, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(target.label + " server " + exitDescription());
            }
            try {
                client.connect(uri("/echo"), new InetSocketAddress("127.0.0.1", 0), (c, p, w) -> { })
                        .get(5, TimeUnit.SECONDS).close().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                awaitExit(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
        }
        close();
        throw new IllegalStateException(target.label + " server did not accept a WebSocket within " + timeout.toSeconds()
                + " s (see " + log + "; the setting start-timeout waits longer)");
    }

    /** Waits for the process to exit, at most {@code millis}: the pause between two tries that returns at once if it died. */
    private void awaitExit(long millis) {
        try {
            process.onExit().get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running: try again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (our server shuts down gracefully), then SIGKILL if it takes longer than 30 s. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
