package io.wschat.websocket;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.wschat.security.TokenCheckTests;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No socket outlives its token: closed with 4003 when the token expires, by one timer per connection that goes with it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.security.jwt.secret=" + TokenCheckTests.SECRET, "chat.security.jwt.issuer=" + TokenCheckTests.ISSUER,
        "chat.security.jwt.audience=" + TokenCheckTests.AUDIENCE, "chat.security.jwt.clock-skew=0s",
        "chat.api.keys=" + TokenCheckTests.API_KEY})
class TokenExpiryTests {

    @LocalServerPort
    int port;

    @Autowired
    TokenExpiry tokenExpiry;

    private String chat(String room, String subject, Instant expires) {
        return "ws://localhost:" + port + "/chat?room=" + room + "&access_token=" + TokenCheckTests.token(subject, subject, expires);
    }

    @Test
    void aSocketIsClosedWith4003WhenItsTokenExpiresAndTheRoomIsTold() throws Exception {
        try (TestClient staying = TestClient.connect(chat("expiry", "Stay", Instant.now().plus(1, ChronoUnit.HOURS)));
             TestClient expiring = TestClient.connect(chat("expiry", "Brief", Instant.now().plusSeconds(4)))) {
            staying.next("welcome");
            String expiringId = staying.next(e -> "joined".equals(e.path("event").asString())
                    && "Brief".equals(e.path("member").path("name").asString()), "the short-lived member's arrival")
                    .path("member").path("id").asString();

            var status = expiring.awaitClose();
            assertThat(status.getCode()).isEqualTo(4003);
            assertThat(status.getReason()).isEqualTo("token expired");
            staying.next(e -> "left".equals(e.path("event").asString()) && expiringId.equals(e.path("member").path("id").asString()),
                    "the room to hear that the expired member left");
            staying.sendJson(Map.of("type", "message", "text", "still here", "cid", "expiry-1"));
            assertThat(staying.next("message").path("text").asString()).isEqualTo("still here");
        }
    }

    @Test
    void theTimerOfAConnectionThatClosesFirstGoesWithIt() throws Exception {
        // The connections of the test before may still be closing on the server, their timers with them.
        await().atMost(TestClient.TIMEOUT).until(() -> tokenExpiry.pending() == 0);
        try (TestClient client = TestClient.connect(chat("expiry-timers", "Timer", Instant.now().plus(1, ChronoUnit.HOURS)))) {
            client.next("welcome");
            assertThat(tokenExpiry.pending()).isEqualTo(1);
        }
        await().atMost(TestClient.TIMEOUT).until(() -> tokenExpiry.pending() == 0);
    }
}
