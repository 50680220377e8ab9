package io.wschat.support;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A real WebSocket client for tests: records every text frame it receives, and waits for
 * frames or the close with a deadline instead of sleeping.
 */
public final class TestClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final WebSocketSession session;

    private TestClient(StandardWebSocketClient client, URI uri, WebSocketHttpHeaders headers) throws Exception {
        var handler = new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession s, TextMessage message) {
                frames.add(message.getPayload());
            }

            @Override
            public void afterConnectionClosed(WebSocketSession s, CloseStatus status) {
                closed.complete(status);
            }
        };
        this.session = client.execute(handler, headers, uri).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * A client whose container accepts frames up to 1 MB. Set on the container, not on the
     * session after connecting: a large first frame (a welcome full of history) may arrive
     * before that, and the container's 8 KB default would close the session with 1009.
     */
    public static StandardWebSocketClient newClient() {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        // Whole messages for the tests; the default is the container's buffer size, which the server sets to 1 KB.
        container.setDefaultMaxTextMessageBufferSize(1024 * 1024);
        container.setDefaultMaxBinaryMessageBufferSize(1024 * 1024);
        return new StandardWebSocketClient(container);
    }

    public static TestClient connect(String uri) throws Exception {
        return connect(uri, new WebSocketHttpHeaders());
    }

    public static TestClient connect(String uri, WebSocketHttpHeaders headers) throws Exception {
        return new TestClient(newClient(), URI.create(uri), headers);
    }

    /** Connects with a client set up by the test, for example one with its own TLS trust. */
    public static TestClient connect(StandardWebSocketClient client, String uri) throws Exception {
        return new TestClient(client, URI.create(uri), new WebSocketHttpHeaders());
    }

    public WebSocketSession session() {
        return session;
    }

    public synchronized void send(String text) throws Exception {
        session.sendMessage(new TextMessage(text));
    }

    public void sendJson(Map<String, ?> command) throws Exception {
        send(JSON.writeValueAsString(command));
    }

    /** The next text frame, raw. */
    public String nextFrame() throws InterruptedException {
        String frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + TIMEOUT);
        }
        return frame;
    }

    /** The next JSON event, whatever its type. */
    public JsonNode next() throws InterruptedException {
        return JSON.readTree(nextFrame());
    }

    /** Skips events until one of the given type arrives. */
    public JsonNode next(String type) throws InterruptedException {
        return next(e -> type.equals(e.path("type").asString()), "an event of type " + type);
    }

    /** Skips events until one matches. */
    public JsonNode next(Predicate<JsonNode> wanted, String description) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no " + description + " within " + TIMEOUT);
            }
            JsonNode event = JSON.readTree(frame);
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /**
     * Reads up to the first event of type {@code marker} and fails if an event of type {@code forbidden}
     * came before it. Send something that answers with the marker (a {@code ping}) after the action whose
     * effect must not reach this client: frames to one connection arrive in order, so a leak shows up first.
     */
    public JsonNode nextWithoutAny(String forbidden, String marker) throws InterruptedException {
        return next(e -> {
            String type = e.path("type").asString();
            if (forbidden.equals(type)) {
                throw new AssertionError("expected no " + forbidden + " before the " + marker + ", got " + e);
            }
            return marker.equals(type);
        }, "an event of type " + marker);
    }

    /** The next JSON event if one has arrived, else {@code null}: for polling inside an Awaitility condition. */
    public JsonNode poll() {
        String frame = frames.poll();
        return frame == null ? null : JSON.readTree(frame);
    }

    /** Frames received and not yet read. */
    public int pending() {
        return frames.size();
    }

    public CloseStatus awaitClose() throws Exception {
        return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() throws Exception {
        if (session.isOpen()) {
            session.close();
        }
    }
}
