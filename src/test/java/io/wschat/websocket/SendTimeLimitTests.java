package io.wschat.websocket;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client whose frame does not get through within {@code chat.outbound.send-time-limit} is closed
 * as a slow consumer, however little is queued for it: the buffer limit here is far above all
 * that is ever sent, so only the time limit can close it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chat.outbound.buffer-limit=16MB", "chat.outbound.send-time-limit=1s",
                "chat.limits.rate.messages-per-second=0"})
class SendTimeLimitTests {

    /** 6 MB: beyond what a 4 KB receive window and the kernel's send buffer (up to 4 MB here) absorb, far below 16 MB. */
    private static final int MESSAGES = 2_000;

    @LocalServerPort
    int port;

    @Test
    void aClientWhoseFrameIsStuckIsClosedOnceTheLimitHasPassed() throws Exception {
        try (RawWebSocket stalled = RawWebSocket.handshake(port, "/chat?room=stuck&name=Sloth", Map.of(), 4096);
             TestClient sender = TestClient.connect("ws://localhost:" + port + "/chat?room=stuck&name=Sender");
             TestClient bystander = TestClient.connect("ws://localhost:" + port + "/chat?room=stuck&name=Bystander")) {
            assertThat(stalled.status()).isEqualTo(101);
            sender.next("welcome");
            bystander.next("welcome");
            String filler = "x".repeat(3_000);
            for (int sent = 0; sent < MESSAGES; sent++) {
                sender.send(sent + " " + filler);
            }
            bystander.next(SendTimeLimitTests::isSlothLeaving, "Sloth closed as a slow consumer");
            sender.send("after");
            bystander.next(e -> "after".equals(e.path("text").asString()), "the message after");
        }
    }

    private static boolean isSlothLeaving(JsonNode event) {
        return "left".equals(event.path("event").asString())
                && "Sloth".equals(event.path("member").path("name").asString());
    }
}
