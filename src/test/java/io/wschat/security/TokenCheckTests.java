package io.wschat.security;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import io.wschat.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.WebSocketHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chat.security.jwt.secret=" + TokenCheckTests.SECRET, "chat.api.keys=" + TokenCheckTests.API_KEY})
class TokenCheckTests {

    static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    static final String API_KEY = "backend-key-0123456789";

    @LocalServerPort
    int port;

    private static String token(String subject, String name) {
        return Tokens.hs256(SECRET, subject, name, Instant.now().plus(1, ChronoUnit.HOURS));
    }

    private int status(String pathAndQuery, Map<String, String> headers) throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(port, pathAndQuery, headers)) {
            return ws.status();
        }
    }

    @Test
    void aValidTokenInTheQueryOpensChatWithTheTokensName() throws Exception {
        try (TestClient alice = TestClient.connect("ws://localhost:" + port + "/chat?name=Mallory&access_token="
                + URLEncoder.encode(token("u-1", "Alice"), StandardCharsets.UTF_8))) {
            var welcome = alice.next("welcome");
            assertThat(welcome.path("name").asString()).isEqualTo("Alice");
            assertThat(welcome.path("handshake").path("requestLine").asString()).contains("access_token=***")
                    .doesNotContain(".ey");
        }
    }

    @Test
    void resendsAreRecognisedByTheTokensSubjectWhateverClientIdIsClaimed() throws Exception {
        String url = "ws://localhost:" + port + "/chat?room=token-cids&access_token=";
        String alice = URLEncoder.encode(token("u-alice", "Alice"), StandardCharsets.UTF_8);
        String bob = URLEncoder.encode(token("u-bob", "Bob"), StandardCharsets.UTF_8);
        try (TestClient first = TestClient.connect(url + alice + "&client=shared")) {
            first.next("welcome");
            first.sendJson(Map.of("type", "message", "text", "Alice's", "cid", "c-1"));
            first.next("message");
        }
        try (TestClient other = TestClient.connect(url + bob + "&client=shared")) {
            other.next("welcome");
            other.sendJson(Map.of("type", "message", "text", "Bob's", "cid", "c-1"));
            var ack = other.next("message");
            assertThat(ack.path("text").asString()).as("another subject, even claiming the same client id").isEqualTo("Bob's");
            assertThat(ack.has("duplicate")).isFalse();
        }
        try (TestClient again = TestClient.connect(url + alice)) {
            again.next("welcome");
            again.sendJson(Map.of("type", "message", "text", "Alice's", "cid", "c-1"));
            var ack = again.next("message");
            assertThat(ack.path("duplicate").asBoolean()).as("the same subject on a new connection").isTrue();
            assertThat(ack.path("text").asString()).isEqualTo("Alice's");
        }
    }

    @Test
    void aValidBearerHeaderOpensChatNamedByTheSubjectWhenThereIsNoNameClaim() throws Exception {
        var headers = new WebSocketHttpHeaders();
        headers.setBearerAuth(token("bob", null));
        try (TestClient bob = TestClient.connect("ws://localhost:" + port + "/chat", headers)) {
            assertThat(bob.next("welcome").path("name").asString()).isEqualTo("bob");
        }
    }

    @Test
    void theReadApiNeedsTheSameTokenAsChat() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI rooms = URI.create("http://localhost:" + port + "/api/rooms");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(rooms).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(rooms)
                .header("Authorization", "Bearer " + token("api-reader", null)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"rooms\"");
    }

    @Test
    void publishingTakesAnApiKeyNotAChatToken() throws Exception {
        HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/rooms/tokens-publish/messages"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from a backend\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isBetween(200, 202);
        assertThat(published.body()).contains("\"seq\"");
    }

    @Test
    void aMissingTokenGets401() throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat", Map.of())) {
            assertThat(ws.status()).isEqualTo(401);
            assertThat(ws.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(ws.body()).startsWith("token_missing:");
        }
    }

    @Test
    void anExpiredTokenGets401() throws Exception {
        String expired = Tokens.hs256(SECRET, "alice", "Alice", Instant.now().minus(1, ChronoUnit.HOURS));
        try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat?access_token=" + expired, Map.of())) {
            assertThat(ws.status()).isEqualTo(401);
            assertThat(ws.body()).startsWith("token_invalid:").contains("expired");
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretOrMangledGets401() throws Exception {
        String forged = Tokens.hs256("another-secret-that-is-32-bytes-or-more", "alice", "Alice", Instant.now().plusSeconds(3600));
        assertThat(status("/chat", Map.of("Authorization", "Bearer " + forged))).isEqualTo(401);
        assertThat(status("/chat?access_token=not.a.jwt", Map.of())).isEqualTo(401);
    }

    @Test
    void theEchoEndpointNeedsNoToken() throws Exception {
        assertThat(status("/echo", Map.of())).isEqualTo(101);
    }
}
