package io.wschat.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Debian's real nginx as a subprocess in front of local instances, running the project's own
 * {@code deploy/nginx/nginx.conf}. The test copy differs only where the deployment does: it
 * listens on a loopback port chosen here instead of 80, names the instances' loopback ports
 * instead of the compose service {@code app:8080}, and drops Docker's resolver. Everything
 * else (upgrade headers, timeouts, retry on a refused connect, the {@code /actuator} refusal)
 * is what production runs. Its error log, pid file and output stay in its own directory.
 */
public final class Nginx implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path directory;

    private Nginx(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Starts nginx in {@code directory} with the project's config, balancing over these loopback ports. */
    public static Nginx inFrontOf(Path directory, int... instancePorts) {
        int port = ServerProcess.freePort();
        try {
            Files.createDirectories(directory);
            Path conf = directory.resolve("nginx.conf");
            Files.writeString(conf, testCopy(Files.readString(Path.of("deploy/nginx/nginx.conf")), port, instancePorts));
            Path error = directory.resolve("error.log");
            List<String> command = List.of(binary(), "-p", directory.toAbsolutePath() + "/", "-c", conf.toAbsolutePath().toString(),
                    "-e", error.toAbsolutePath().toString(),
                    "-g", "daemon off; pid " + directory.resolve("nginx.pid").toAbsolutePath() + ";");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("output.log").toFile())
                    .start();
            Nginx nginx = new Nginx(process, port, directory);
            nginx.awaitServing();
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The production config with only the listen port, the upstream addresses and the Docker resolver replaced. */
    static String testCopy(String production, int port, int... instancePorts) {
        StringBuilder upstream = new StringBuilder("http {\n    upstream wschat_test_instances {\n");
        for (int instancePort : instancePorts) {
            upstream.append("        server 127.0.0.1:").append(instancePort).append(";\n");
        }
        upstream.append("    }\n");
        String copy = replaceOnce(production, "listen 80;", "listen 127.0.0.1:" + port + ";");
        copy = replaceOnce(copy, "resolver 127.0.0.11 valid=5s ipv6=off;", "");
        copy = replaceOnce(copy, "set $wschat http://app:8080;", "set $wschat http://wschat_test_instances;");
        return replaceOnce(copy, "http {\n", upstream.toString());
    }

    /** Fails loudly when the production config no longer has the line this copy replaces. */
    private static String replaceOnce(String text, String target, String replacement) {
        Matcher matcher = Pattern.compile(Pattern.quote(target)).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("deploy/nginx/nginx.conf no longer contains '" + target.strip()
                    + "': update the test copy in " + Nginx.class.getSimpleName());
        }
        return matcher.replaceFirst(Matcher.quoteReplacement(replacement));
    }

    private static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nginx is not installed: apt-get install nginx-light (.ci/run installs it)");
    }

    public int port() {
        return port;
    }

    /** {@code ws://127.0.0.1:PORT} followed by {@code pathAndQuery}. */
    public String wsUrl(String pathAndQuery) {
        return "ws://127.0.0.1:" + port + pathAndQuery;
    }

    /** GET through nginx: the status code. */
    public int status(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void awaitServing() {
        await("nginx to serve /lb-health (see " + directory + ")").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("nginx exited with " + process.exitValue() + ": " + output());
                    }
                    try {
                        return status("/lb-health") == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private String output() {
        List<String> lines = new ArrayList<>();
        for (String name : List.of("output.log", "error.log")) {
            try {
                lines.addAll(Files.readAllLines(directory.resolve(name), StandardCharsets.UTF_8));
            } catch (IOException e) {
                lines.add("(no " + name + ")");
            }
        }
        return String.join("\n", lines);
    }

    /** SIGTERM (nginx's fast shutdown), waiting for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
