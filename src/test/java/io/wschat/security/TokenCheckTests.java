package io.wschat.security;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;

import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import io.wschat.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.WebSocketHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

// The same properties, in the same order, as io.wschat.websocket.TokenExpiryTests: the two share one server.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.security.jwt.secret=" + TokenCheckTests.SECRET, "chat.security.jwt.issuer=" + TokenCheckTests.ISSUER,
        "chat.security.jwt.audience=" + TokenCheckTests.AUDIENCE, "chat.security.jwt.clock-skew=0s",
        "chat.api.keys=" + TokenCheckTests.API_KEY})
public class TokenCheckTests {

    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    public static final String ISSUER = "https://issuer.example";
    public static final String AUDIENCE = "wschat";
    public static final String API_KEY = "backend-key-0123456789";

    @LocalServerPort
    int port;

    /** A token this server accepts, valid until {@code expires}. */
    public static String token(String subject, String name, Instant expires) {
        return Tokens.hs256(SECRET, Tokens.claims(subject, name).issuer(ISSUER).audience(List.of("other", AUDIENCE))
                .expirationTime(Date.from(expires)).build());
    }

    private static String token(String subject, String name) {
        return token(subject, name, Instant.now().plus(1, ChronoUnit.HOURS));
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
        String expired = token("alice", "Alice", Instant.now().minus(1, ChronoUnit.HOURS));
        try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat?access_token=" + expired, Map.of())) {
            assertThat(ws.status()).isEqualTo(401);
            assertThat(ws.body()).startsWith("token_invalid:").contains("expired");
        }
    }

    @Test
    void aTokenWithoutExpiryGets401BecauseItWouldBeValidForever() throws Exception {
        String forever = Tokens.hs256(SECRET, Tokens.claims("alice", "Alice").issuer(ISSUER).audience(AUDIENCE).build());
        try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat?access_token=" + forever, Map.of())) {
            assertThat(ws.status()).isEqualTo(401);
            assertThat(ws.body()).startsWith("token_invalid:").contains("exp");
        }
        HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/rooms"))
                .header("Authorization", "Bearer " + forever).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenFromAnotherIssuerOrForAnotherAudienceGets401() throws Exception {
        Date inAnHour = Date.from(Instant.now().plus(1, ChronoUnit.HOURS));
        String otherIssuer = Tokens.hs256(SECRET, Tokens.claims("alice", "Alice").issuer("https://elsewhere.example")
                .audience(AUDIENCE).expirationTime(inAnHour).build());
        String noIssuer = Tokens.hs256(SECRET, Tokens.claims("alice", "Alice").audience(AUDIENCE).expirationTime(inAnHour).build());
        String otherAudience = Tokens.hs256(SECRET, Tokens.claims("alice", "Alice").issuer(ISSUER)
                .audience("another-app").expirationTime(inAnHour).build());
        String noAudience = Tokens.hs256(SECRET, Tokens.claims("alice", "Alice").issuer(ISSUER).expirationTime(inAnHour).build());
        for (String token : List.of(otherIssuer, noIssuer)) {
            try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat?access_token=" + token, Map.of())) {
                assertThat(ws.status()).isEqualTo(401);
                assertThat(ws.body()).startsWith("token_invalid:").contains("iss");
            }
        }
        for (String token : List.of(otherAudience, noAudience)) {
            try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat?access_token=" + token, Map.of())) {
                assertThat(ws.status()).isEqualTo(401);
                assertThat(ws.body()).startsWith("token_invalid:").contains("aud");
            }
        }
    }

    @Test
    void nickIsRefusedWhenTheNameComesFromTheToken() throws Exception {
        try (TestClient alice = TestClient.connect("ws://localhost:" + port + "/chat?room=tokens-nick&access_token="
                + token("u-2", "Alice"))) {
            assertThat(alice.next("welcome").path("name").asString()).isEqualTo("Alice");
            alice.sendJson(Map.of("type", "nick", "name", "Bob"));
            var error = alice.next("error");
            assertThat(error.path("code").asString()).isEqualTo("name_locked");
            alice.sendJson(Map.of("type", "message", "text", "still me", "cid", "nick-1"));
            assertThat(alice.next("message").path("from").asString()).isEqualTo("Alice");
            assertThat(alice.isOpen()).isTrue();
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretOrMangledGets401() throws Exception {
        String forged = Tokens.hs256("another-secret-that-is-32-bytes-or-more", Tokens.claims("alice", "Alice").issuer(ISSUER)
                .audience(AUDIENCE).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
        assertThat(status("/chat", Map.of("Authorization", "Bearer " + forged))).isEqualTo(401);
        assertThat(status("/chat?access_token=not.a.jwt", Map.of())).isEqualTo(401);
    }

    @Test
    void theEchoEndpointNeedsNoToken() throws Exception {
        assertThat(status("/echo", Map.of())).isEqualTo(101);
    }
}
