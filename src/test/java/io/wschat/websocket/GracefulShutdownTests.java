package io.wschat.websocket;

import java.util.Map;

import io.wschat.support.RawWebSocket;
import io.wschat.support.RunningApp;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each test starts and stops its own application: shutdown must never touch the shared test context. */
class GracefulShutdownTests {

    @Test
    void closingTheApplicationSendsEveryClientGoingAway() throws Exception {
        TestClient alice;
        TestClient bob;
        TestClient echo;
        try (RunningApp app = RunningApp.start()) {
            String base = "ws://localhost:" + app.port();
            alice = TestClient.connect(base + "/chat?room=bye&name=Alice");
            bob = TestClient.connect(base + "/chat?room=bye&name=Bob");
            echo = TestClient.connect(base + "/echo");
            alice.next("welcome");
            bob.next("welcome");
            bob.send("last words");
            assertThat(alice.next("message").path("text").asString()).isEqualTo("last words");
        }
        assertThat(alice.awaitClose().getCode()).isEqualTo(1001);
        assertThat(bob.awaitClose().getCode()).isEqualTo(1001);
        assertThat(echo.awaitClose().getCode()).isEqualTo(1001);
    }

    @Test
    void onceStoppingNewHandshakesGet503() throws Exception {
        try (RunningApp app = RunningApp.start()) {
            TestClient alice = TestClient.connect("ws://localhost:" + app.port() + "/chat?room=stopping");
            alice.next("welcome");
            app.context().getBean(GracefulShutdown.class).stop();
            assertThat(alice.awaitClose().getCode()).isEqualTo(1001);
            try (RawWebSocket refused = RawWebSocket.handshake(app.port(), "/chat", Map.of())) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).startsWith("shutting_down:");
            }
        }
    }
}
