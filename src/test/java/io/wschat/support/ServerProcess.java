package io.wschat.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.wschat.WsChatApplication;

import static org.awaitility.Awaitility.await;

/**
 * The server as a separate JVM, for tests where a crash must be real: {@link #kill()} is
 * {@code kill -9} (SIGKILL on Linux), so nothing in the server gets to run on the way out.
 *
 * <p>The child runs {@link WsChatApplication} from this JVM's class path, in its own working
 * directory (so the default {@code ./data} SQLite file lands there), with the application's own
 * {@code application*.properties} only: the test tree's {@code config/application.properties}
 * (a SQLite file per context under {@code target/test-data}) is not read. It listens on a port chosen here, fixed for its lifetime, and
 * serves management ({@code /actuator/health}) on a second port chosen here, whatever the
 * defaults say. Its stdout and stderr go to {@link #log()}, under {@code target/server-processes/}.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.builder(dataDir).arg("chat.history.store=jdbc").start()) {
 *     TestClient client = TestClient.connect(server.wsUrl("/chat?room=r"));
 *     ...
 *     server.kill();
 * }
 * try (ServerProcess again = ServerProcess.builder(dataDir).start()) { ... }  // same data, a new process
 * }</pre>
 */
public final class ServerProcess implements AutoCloseable {

    /** How long a start may take on a busy two-core machine before the test gives up. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "server-processes");
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private ServerProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** A server whose working directory (and so whose default {@code ./data}) is {@code workingDirectory}. */
    public static Builder builder(Path workingDirectory) {
        return new Builder(workingDirectory);
    }

    /** The application port (HTTP and WebSocket). */
    public int port() {
        return port;
    }

    /** The management port, where {@code /actuator/*} is served. */
    public int managementPort() {
        return managementPort;
    }

    /** {@code ws://localhost:PORT} followed by {@code pathAndQuery}, e.g. {@code "/chat?room=a"}. */
    public String wsUrl(String pathAndQuery) {
        return "ws://localhost:" + port + pathAndQuery;
    }

    /** The file holding the child's stdout and stderr, for diagnostics. */
    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: the JVM ends at once, without shutdown hooks, graceful shutdown or flushing anything. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the server shuts down gracefully (drains, closes connections and the database) and exits. */
    public void stop() {
        process.destroy();
        waitForExit();
    }

    /** Kills the process if it still runs; a test that wanted a graceful end calls {@link #stop()} first. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("server process " + process.pid() + " did not exit within 30 s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for server process " + process.pid(), e);
        }
    }

    /** What {@code /actuator/health} answers now: its status code and body, or null when nothing listens. */
    public String health() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            // not listening yet, or gone
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void awaitUp() {
        await("server process " + process.pid() + " to report UP (log: " + log + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("server process exited with " + process.exitValue()
                                + " before it was up; its output:\n" + tail());
                    }
                    String health = health();
                    return health != null && health.startsWith("200 ") && health.contains("\"UP\"");
                });
    }

    /** The last lines of the child's output, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** A free loopback port, for a server or proxy that must be told its port before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects the child's arguments and environment; {@link #start()} forks it and waits until it is UP. */
    public static final class Builder {

        private final Path workingDirectory;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto"));
        private int port;
        private String name = "server";

        private Builder(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
        }

        /** An application property as {@code name=value}, passed as {@code --name=value} (wins over every file). */
        public Builder arg(String property) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=value, got " + property);
            }
            properties.put(property.substring(0, eq), property.substring(eq + 1));
            return this;
        }

        /** Several application properties, each as {@code name=value}. */
        public Builder args(String... properties) {
            for (String property : properties) {
                arg(property);
            }
            return this;
        }

        /** The Spring profile(s) to run with, e.g. {@code postgres}. */
        public Builder profile(String profiles) {
            return arg("spring.profiles.active=" + profiles);
        }

        /** An environment variable of the child. */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** A JVM option of the child, e.g. {@code -Xmx128m} (a later heap option wins over the default 256m). */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** The application port; by default a free one is chosen. Reuse a killed server's port to restart "in place". */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A name for the log file, e.g. {@code "h2-first"}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public ServerProcess start() {
            for (int attempt = 1; ; attempt++) {
                ServerProcess server = launch(port == 0 ? freePort() : port, freePort());
                try {
                    server.awaitUp();
                    return server;
                } catch (RuntimeException | Error e) {
                    // The ports were free when chosen, but anything on the machine may bind one before
                    // the child does (an outgoing connection takes its local port from the same range).
                    boolean portTaken = !server.process.isAlive() && server.tail().contains("already in use");
                    server.close();
                    if (!portTaken || attempt == 3) {
                        throw e;
                    }
                }
            }
        }

        private ServerProcess launch(int appPort, int managementPort) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(WsChatApplication.class.getName());
            command.add("--spring.config.location=classpath:/");
            command.add("--server.port=" + appPort);
            command.add("--management.server.port=" + managementPort);
            properties.forEach((key, value) -> command.add("--" + key + "=" + value));
            try {
                Files.createDirectories(workingDirectory);
                Files.createDirectories(LOGS);
                Path log = LOGS.resolve(name + "-" + STARTED.incrementAndGet() + "-" + ProcessHandle.current().pid() + ".log")
                        .toAbsolutePath();
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                builder.environment().putAll(environment);
                return new ServerProcess(builder.start(), appPort, managementPort, log);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + command, e);
            }
        }
    }
}
