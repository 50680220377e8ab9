package io.wschat.websocket;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;

import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading must not hold up anyone else, and is closed in the end.
 * The sender's rate limit is off: it sends far more than a person would, on purpose.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chat.outbound.buffer-limit=64KB", "chat.outbound.send-time-limit=2s",
                "chat.limits.rate.messages-per-second=0"})
class SlowConsumerTests {

    /** 6 MB: far beyond the 64 KB buffer plus whatever the kernel's socket buffers absorb. */
    private static final int MAX_MESSAGES = 2_000;

    @LocalServerPort
    int port;

    @Test
    void aClientThatStopsReadingDoesNotDelayOthersAndIsClosed() throws Exception {
        try (Socket stalled = openWithoutReading("/chat?room=slow&name=Sloth");
             TestClient sender = TestClient.connect("ws://localhost:" + port + "/chat?room=slow&name=Sender");
             TestClient bystander = TestClient.connect("ws://localhost:" + port + "/chat?room=slow&name=Bystander")) {
            sender.next("welcome");
            bystander.next("welcome");
            // Lockstep: each message must reach the bystander while Sloth's queue only grows.
            String filler = "x".repeat(3_000);
            boolean slothDropped = false;
            int sent = 0;
            while (!slothDropped && sent < MAX_MESSAGES) {
                sender.send(sent + " " + filler);
                while (true) {
                    JsonNode event = bystander.next();
                    if (isSlothLeaving(event)) {
                        slothDropped = true;
                    } else if ("message".equals(event.path("type").asString())) {
                        assertThat(event.path("text").asString()).startsWith(sent + " ");
                        break;
                    }
                }
                sent++;
            }
            assertThat(slothDropped).as("Sloth dropped after %d messages", sent).isTrue();
            sender.send("after");
            assertThat(bystander.next("message").path("text").asString()).isEqualTo("after");
        }
    }

    private static boolean isSlothLeaving(JsonNode event) {
        return "left".equals(event.path("event").asString())
                && "Sloth".equals(event.path("member").path("name").asString());
    }

    /** Completes the handshake over a socket with a tiny receive window, then never reads again. */
    private Socket openWithoutReading(String path) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", port));
        socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("handshake response").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }
}
