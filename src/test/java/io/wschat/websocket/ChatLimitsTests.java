package io.wschat.websocket;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.BinaryMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The answers to oversized, binary, too fast and malformed input on {@code /chat}, with the default limits. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ChatLimitsTests {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private TestClient join(String room) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room);
        client.next("welcome");
        return client;
    }

    @Test
    void textFrameOverTheMaximumSizeClosesWith1009() throws Exception {
        double before = rejections("message_too_big");
        try (TestClient client = join("too-big")) {
            client.send("x".repeat(64 * 1024 + 1));
            assertThat(client.awaitClose().getCode()).isEqualTo(1009);
        }
        await().until(() -> rejections("message_too_big") > before);
    }

    @Test
    void textFrameOfExactlyTheMaximumSizeIsAccepted() throws Exception {
        try (TestClient client = join("max-size")) {
            client.send("{\"type\":\"ping\",\"id\":\"" + "y".repeat(64 * 1024 - 27) + "\"}");
            assertThat(client.next("error").path("code").asString()).as("too long an id, but read whole").isEqualTo("invalid_command");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        double before = rejections("binary_frame");
        try (TestClient client = join("binary")) {
            client.session().sendMessage(new BinaryMessage(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            assertThat(client.awaitClose().getCode()).isEqualTo(1003);
        }
        await().until(() -> rejections("binary_frame") > before);
    }

    @Test
    void framesAboveTheRateLimitAreAnsweredWithRateLimitedAndDropped() throws Exception {
        try (TestClient sender = join("rate"); TestClient reader = join("rate")) {
            // Batches of 60 frames at once until some are refused: the burst of 40 passes, the rest outrun the
            // refill of 20/s however busy this machine is (a batch is sent again rather than assumed to take < 1 s).
            // Each frame gets exactly one answer, its acknowledgement or rate_limited, so the counts must add up.
            List<String> accepted = new ArrayList<>();
            int limited = 0;
            int sent = 0;
            for (int batch = 0; batch < 5 && limited == 0; batch++) {
                for (int i = 0; i < 60; i++) {
                    sender.send("m" + sent++);
                }
                for (int i = 0; i < 60; i++) {
                    JsonNode event = sender.next(e -> e.path("type").asString().matches("message|error"), "a message or an error");
                    if (event.path("type").asString().equals("message")) {
                        accepted.add(event.path("text").asString());
                    } else {
                        assertThat(event.path("code").asString()).isEqualTo("rate_limited");
                        limited++;
                    }
                }
            }
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(40);
            assertThat(limited).isEqualTo(sent - accepted.size()).isPositive();
            List<String> delivered = new ArrayList<>();
            while (delivered.size() < accepted.size()) {
                delivered.add(reader.next("message").path("text").asString());
            }
            assertThat(delivered).as("others get exactly the accepted frames").isEqualTo(accepted);
            assertThat(sender.isOpen()).isTrue();
        }
    }

    @Test
    void sustainedFloodingClosesWith1008() throws Exception {
        double before = rejections("rate_abuse");
        try (TestClient flooder = join("flood")) {
            for (int i = 0; i < 200 && flooder.isOpen(); i++) {
                flooder.send("flood " + i);
            }
            assertThat(flooder.awaitClose().getCode()).isEqualTo(1008);
        }
        await().until(() -> rejections("rate_abuse") > before);
    }

    @Test
    void aRejectionIsLoggedOnceAtWarnWithoutTheBodyAndCounted(CapturedOutput output) throws Exception {
        double before = rejections("invalid_json");
        try (TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=logged")) {
            String id = client.next("welcome").path("id").asString();
            client.send("{\"secret-body-text\":");
            assertThat(client.next("error").path("code").asString()).isEqualTo("invalid_json");
            await().until(() -> rejections("invalid_json") > before);
            assertThat(output.getOut().lines().filter(l -> l.contains("rejected: invalid_json")))
                    .singleElement().asString().contains("WARN").contains("session " + id + " from 127.0.0.1");
            assertThat(output.getOut()).doesNotContain("secret-body-text");
        }
    }

    /**
     * The counter is shared with every test class in this cached context, and is incremented on the server's
     * thread after the answer is sent: so the tests wait for it to grow rather than read it once or expect an exact value.
     */
    private double rejections(String reason) {
        Counter counter = meters.find("chat.rejections").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
