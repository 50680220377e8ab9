package io.wschat.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.heartbeat.interval=200ms",
        "chat.heartbeat.idle-timeout=1s"})
class HeartbeatTests {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void aPeerThatNeverAnswersIsPingedThenClosedAfterTheIdleTimeout() throws Exception {
        double before = idleTimeouts();
        try (RawWebSocket silent = RawWebSocket.handshake(port, "/chat?room=heartbeat", Map.of())) {
            assertThat(silent.status()).isEqualTo(101);
            List<Integer> opcodes = new ArrayList<>();
            int opcode;
            do {
                opcode = silent.nextOpcode();
                opcodes.add(opcode);
            } while (opcode != RawWebSocket.OPCODE_CLOSE && opcode != -1);
            assertThat(opcodes).contains(RawWebSocket.OPCODE_PING).endsWith(RawWebSocket.OPCODE_CLOSE);
        }
        await().until(() -> idleTimeouts() > before);
    }

    @Test
    void aClientThatAnswersPingsStaysOpenPastTheIdleTimeout() throws Exception {
        try (TestClient quiet = TestClient.connect("ws://localhost:" + port + "/chat?room=heartbeat-alive");
             TestClient echo = TestClient.connect("ws://localhost:" + port + "/echo")) {
            quiet.next("welcome");
            // Neither sends anything; only their automatic pongs keep them alive.
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                    .until(() -> quiet.isOpen() && echo.isOpen());
            echo.send("still there?");
            assertThat(echo.nextFrame()).isEqualTo("got your message: still there?");
        }
    }

    private double idleTimeouts() {
        var counter = meters.find("chat.rejections").tag("reason", "idle_timeout").counter();
        return counter == null ? 0 : counter.count();
    }
}
