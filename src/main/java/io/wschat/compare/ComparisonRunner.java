package io.wschat.compare;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Performs the same request/response exchanges three ways against a running server and
 * measures them: a new TCP connection per HTTP request ({@code Connection: close}), one
 * persistent HTTP/1.1 connection, and one WebSocket. Used by {@code POST /api/compare/runs}
 * (against the server itself) and by the {@code compare} command line.
 *
 * <p>HTTP bytes are counted exactly on the socket. WebSocket bytes are the RFC 6455 frame sizes
 * of the messages (2-byte header, +2 or +8 for longer payloads, +4 for the client's mask); the
 * opening handshake is counted once, measured by sending a minimal upgrade request. TCP/IP
 * overhead (packet headers, the SYN/FIN exchange of each new connection) is not counted by any mode.
 */
public final class ComparisonRunner {

    static final String ECHO_PATH = "/api/compare/echo";
    static final String REPLY_PREFIX = "got your message: ";
    private static final String WS_ECHO_PATH = "/echo";

    private final Duration timeout;
    private final HttpClient webSocketClient;

    public ComparisonRunner(Duration timeout) {
        this.timeout = timeout;
        this.webSocketClient = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Runs all three modes against {@code http://host:port}; each mode first does {@code warmup} unmeasured exchanges. */
    public ComparisonReport run(String host, int port, int exchanges, int payloadBytes, int warmup)
            throws IOException, InterruptedException {
        if (exchanges < 1 || payloadBytes < 1 || warmup < 0) {
            throw new IllegalArgumentException("a comparison needs at least one exchange of at least one byte, and no negative warm-up");
        }
        String payload = payload(payloadBytes);
        String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        List<ComparisonReport.ModeResult> modes = new ArrayList<>();
        modes.add(httpNewConnectionEach(host, port, authority, payload, exchanges, warmup));
        modes.add(httpKeepAlive(host, port, authority, payload, exchanges, warmup));
        modes.add(webSocket(host, port, authority, payload, exchanges, warmup));
        return new ComparisonReport("http://" + authority, exchanges, payloadBytes, warmup, List.copyOf(modes));
    }

    private ComparisonReport.ModeResult httpNewConnectionEach(String host, int port, String authority, String payload,
                                                            int exchanges, int warmup) throws IOException {
        byte[] request = httpRequest(authority, payload, true);
        for (int i = 0; i < warmup; i++) {
            try (var connection = new RawHttpConnection(host, port, millis(timeout))) {
                checked(connection.exchange(request), payload);
            }
        }
        long[] latencies = new long[exchanges];
        long received = 0;
        long start = System.nanoTime();
        for (int i = 0; i < exchanges; i++) {
            long t0 = System.nanoTime();
            try (var connection = new RawHttpConnection(host, port, millis(timeout))) {
                received += checked(connection.exchange(request), payload).bytes();
            }
            latencies[i] = System.nanoTime() - t0;
        }
        return result("http10", "HTTP/1.0 style: a new TCP connection per request (Connection: close)",
                exchanges, exchanges, System.nanoTime() - start, latencies, request.length, received, 0);
    }

    private ComparisonReport.ModeResult httpKeepAlive(String host, int port, String authority, String payload,
                                                    int exchanges, int warmup) throws IOException {
        byte[] request = httpRequest(authority, payload, false);
        long[] latencies = new long[exchanges];
        long received = 0;
        int connections = 0;
        long start = System.nanoTime();
        RawHttpConnection connection = null;
        try {
            for (int i = -warmup; i < exchanges; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                    connections = connection == null ? 0 : 1;
                }
                long t0 = System.nanoTime();
                if (connection == null) {
                    connection = new RawHttpConnection(host, port, millis(timeout));
                    connections++;
                }
                RawHttpConnection.Response response = checked(connection.exchange(request), payload);
                if (response.serverCloses()) {
                    // The server caps requests per connection (Tomcat: 100 by default); the next request reconnects, as a browser would.
                    connection.close();
                    connection = null;
                }
                if (i >= 0) {
                    latencies[i] = System.nanoTime() - t0;
                    received += response.bytes();
                }
            }
            return result("http11", "HTTP/1.1 keep-alive: a persistent connection, request then response",
                    exchanges, connections, System.nanoTime() - start, latencies, request.length, received, 0);
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private ComparisonReport.ModeResult webSocket(String host, int port, String authority, String payload,
                                                int exchanges, int warmup) throws IOException, InterruptedException {
        long handshakeBytes = measureHandshake(host, port, authority);
        Replies replies = new Replies();
        WebSocket socket = await(webSocketClient.newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(URI.create("ws://" + authority + WS_ECHO_PATH), replies));
        try {
            for (int i = 0; i < warmup; i++) {
                exchange(socket, replies, payload);
            }
            long[] latencies = new long[exchanges];
            long start = System.nanoTime();
            for (int i = 0; i < exchanges; i++) {
                long t0 = System.nanoTime();
                exchange(socket, replies, payload);
                latencies[i] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - start;
            int replyBytes = (REPLY_PREFIX + payload).getBytes(StandardCharsets.UTF_8).length;
            long sentPerExchange = frameBytes(payload.getBytes(StandardCharsets.UTF_8).length, true);
            return result("websocket", "WebSocket: one connection, message then reply", exchanges, 1, elapsed,
                    latencies, sentPerExchange, frameBytes(replyBytes, false) * exchanges, handshakeBytes);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private void exchange(WebSocket socket, Replies replies, String payload) throws IOException, InterruptedException {
        // The reply proves the frame went out, so its send future is not waited for separately (one thread hop less);
        // it has completed by the next send, which the JDK client requires, and a failed send still surfaces here.
        CompletableFuture<WebSocket> sent = socket.sendText(payload, true).toCompletableFuture();
        String reply = replies.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        await(sent);
        if (reply == null) {
            throw new IOException("no WebSocket reply within " + timeout.toMillis() + " ms");
        }
        if (!reply.endsWith(payload)) {
            throw new IOException("unexpected WebSocket reply: " + abbreviate(reply));
        }
    }

    /** Sends a minimal upgrade request to the echo endpoint and counts both directions of the handshake. */
    private long measureHandshake(String host, int port, String authority) throws IOException {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        byte[] upgrade = ("GET " + WS_ECHO_PATH + " HTTP/1.1\r\nHost: " + authority
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (var connection = new RawHttpConnection(host, port, millis(timeout))) {
            RawHttpConnection.Response response = connection.exchange(upgrade);
            if (response.status() != 101) {
                throw new IOException("the WebSocket upgrade was answered with " + response.status());
            }
            return upgrade.length + response.bytes();
        }
    }

    /** RFC 6455 §5.2: 2 header bytes, 2 or 8 more for payloads over 125 or 65535 bytes, 4 for a client's mask. */
    static long frameBytes(int payloadBytes, boolean masked) {
        int length = payloadBytes <= 125 ? 0 : payloadBytes <= 65_535 ? 2 : 8;
        return 2 + length + (masked ? 4 : 0) + payloadBytes;
    }

    private static byte[] httpRequest(String authority, String payload, boolean close) {
        return ("GET " + ECHO_PATH + "?payload=" + payload + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static RawHttpConnection.Response checked(RawHttpConnection.Response response, String payload) throws IOException {
        if (response.status() == 429) {
            throw new IOException("the server rate-limited the comparison (429): both HTTP modes together must stay within"
                    + " its chat.compare.echo-burst (5000 by default); use fewer exchanges or wait a moment");
        }
        if (response.status() != 200 || !response.body().endsWith(payload)) {
            throw new IOException("unexpected HTTP response " + response.status() + ": " + abbreviate(response.body()));
        }
        return response;
    }

    private static ComparisonReport.ModeResult result(String mode, String title, int exchanges, int connections,
                                                      long elapsedNanos, long[] latencies, long requestBytes,
                                                      long receivedBytes, long setupBytes) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        double response = (double) receivedBytes / exchanges;
        return new ComparisonReport.ModeResult(mode, title, exchanges, connections, round(elapsedNanos / 1e6),
                round(exchanges * 1e9 / elapsedNanos), round(percentile(sorted, 50) / 1e6), round(percentile(sorted, 99) / 1e6),
                requestBytes, round(response), round(requestBytes + response), setupBytes);
    }

    /** Nearest-rank percentile of ascending values. */
    static long percentile(long[] ascending, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * ascending.length);
        return ascending[Math.max(0, rank - 1)];
    }

    /** Letters only, so it needs no URL encoding and is one byte per character. */
    static String payload(int bytes) {
        StringBuilder payload = new StringBuilder(bytes);
        for (int i = 0; i < bytes; i++) {
            payload.append((char) ('a' + i % 26));
        }
        return payload.toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static int millis(Duration d) {
        return (int) d.toMillis();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private <T> T await(CompletionStage<T> stage) throws IOException, InterruptedException {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("WebSocket failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("WebSocket did not answer within " + timeout.toMillis() + " ms", e);
        }
    }

    /** Collects whole text messages; asks for the next frame only after taking one, as the JDK client expects. */
    private static final class Replies implements WebSocket.Listener {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
