package io.wschat.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wschat.WsChatApplication;
import io.wschat.support.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server given a small heap refuses connections with 503 before its memory runs out, and
 * keeps serving the ones it has. A forked JVM, because an {@code OutOfMemoryError} must be real
 * and must not take the test JVM with it. (A minimal fork of its own: no shared fixture for
 * forked servers existed when this was written.)
 */
class HeapConnectionCapTests {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern CAP = Pattern.compile("at most (\\d+) WebSocket connections");

    @TempDir
    Path workDir;

    private Process server;
    private final StringBuffer output = new StringBuffer();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocket> sockets = new ArrayList<>();

    @AfterEach
    void stopServer() {
        sockets.forEach(WebSocket::abort);
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
    }

    @Test
    void aSmallHeapRefusesConnectionsBeforeItRunsOutAndKeepsServingTheOthers() throws Exception {
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                WsChatApplication.class.getName(),
                "--server.port=0", "--chat.limits.connections-per-address=0", "--chat.limits.echo.max-connections=0")
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "forked-server-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofMinutes(4)).until(() -> STARTED.matcher(output).find() || !server.isAlive());
        int port = Integer.parseInt(group(STARTED));
        int cap = Integer.parseInt(group(CAP));
        assertThat(cap).as("connections a 64 MB heap holds").isBetween(100, 1000);

        List<BlockingQueue<String>> replies = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            sockets.add(open(port, received).join());
            replies.add(received);
        }
        try (RawWebSocket refused = RawWebSocket.handshake(port, "/echo", Map.of())) {
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).startsWith("server_full:");
        }
        Throwable failure = open(port, new LinkedBlockingQueue<>()).handle((socket, e) -> e).join();
        assertThat(failure).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);

        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).sendText("still here " + i, true).join();
        }
        for (int i = 0; i < replies.size(); i++) {
            assertThat(replies.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("got your message: still here " + i);
        }
        assertThat(output.toString()).doesNotContain("OutOfMemoryError");

        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
        assertThat(output.toString()).doesNotContain("OutOfMemoryError");
    }

    private CompletableFuture<WebSocket> open(int port, BlockingQueue<String> received) {
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://localhost:" + port + "/echo"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                });
    }

    private String group(Pattern pattern) {
        Matcher matcher = pattern.matcher(output);
        assertThat(matcher.find()).as("the server's log says %s; it said:%n%s", pattern, output).isTrue();
        return matcher.group(1);
    }

    private void readOutput() {
        try (var in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("[output ended: ").append(e).append("]\n");
        }
    }
}
