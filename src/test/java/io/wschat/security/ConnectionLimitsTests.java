package io.wschat.security;

import java.util.Map;

import io.wschat.support.RawWebSocket;
import io.wschat.support.RunningApp;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Caps on connections per address and in total, on members per room and on rooms: each excess gets a defined answer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.limits.connections-per-address=4",
        "chat.limits.max-members-per-room=2",
        "chat.limits.max-rooms=2"})
class ConnectionLimitsTests {

    @LocalServerPort
    int port;

    @Autowired
    ConnectionLimits limits;

    @BeforeEach
    void everyEarlierConnectionHasGivenItsSlotBack() {
        await().until(() -> limits.openConnections() == 0);
    }

    private TestClient chat(String room) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room);
        client.next("welcome");
        return client;
    }

    private TestClient echo() throws Exception {
        return TestClient.connect("ws://localhost:" + port + "/echo");
    }

    @Test
    void oneAddressBeyondItsCapGets429UntilAConnectionCloses() throws Exception {
        try (TestClient a = echo(); TestClient b = echo(); TestClient c = echo()) {
            TestClient d = echo();
            try (RawWebSocket refused = RawWebSocket.handshake(port, "/echo", Map.of())) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.body()).startsWith("too_many_connections_from_address:");
            }
            d.close();
            await().until(() -> limits.openConnections() == 3);
            try (TestClient again = echo()) {
                assertThat(again.isOpen()).isTrue();
            }
        }
    }

    @Test
    void handshakesRefusedForOtherReasonsGiveTheirSlotBack() throws Exception {
        for (int i = 0; i < 6; i++) {
            try (RawWebSocket refused = RawWebSocket.handshake(port, "/chat?room=no%20spaces", Map.of())) {
                assertThat(refused.status()).isEqualTo(400);
            }
        }
        assertThat(limits.openConnections()).isZero();
    }

    @Test
    void aFullRoomRefusesNewMembersAtTheHandshakeAndOnJoin() throws Exception {
        try (TestClient a = chat("full"); TestClient b = chat("full"); TestClient c = chat("other")) {
            try (RawWebSocket refused = RawWebSocket.handshake(port, "/chat?room=full", Map.of())) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).startsWith("room_full:");
            }
            c.sendJson(Map.of("type", "join", "room", "full"));
            assertThat(c.next("error").path("code").asString()).isEqualTo("room_full");
            c.send("still in my room");
            assertThat(c.next("message").path("room").asString()).isEqualTo("other");
        }
    }

    @Test
    void aServerWithItsMaximumOfRoomsRefusesANewRoomButNotAnExistingOne() throws Exception {
        try (TestClient a = chat("one"); TestClient b = chat("two")) {
            try (RawWebSocket refused = RawWebSocket.handshake(port, "/chat?room=three", Map.of())) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).startsWith("too_many_rooms:");
            }
            b.sendJson(Map.of("type", "join", "room", "three"));
            assertThat(b.next("error").path("code").asString()).isEqualTo("too_many_rooms");
            b.sendJson(Map.of("type", "join", "room", "one"));
            assertThat(b.next("welcome").path("room").asString()).isEqualTo("one");
        }
    }

    @Test
    void theServerBeyondItsTotalCapGets503() throws Exception {
        try (RunningApp app = RunningApp.start("chat.limits.max-connections=2", "chat.limits.connections-per-address=0")) {
            String echo = "ws://localhost:" + app.port() + "/echo";
            try (TestClient a = TestClient.connect(echo); TestClient b = TestClient.connect(echo);
                 RawWebSocket refused = RawWebSocket.handshake(app.port(), "/echo", Map.of())) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).startsWith("server_full:");
            }
        }
    }

    @Test
    void echoHasItsOwnCapAndRateLimitSoItCannotFillTheServerForChat() throws Exception {
        try (RunningApp app = RunningApp.start("chat.limits.echo.max-connections=1", "chat.limits.connections-per-address=0",
                "chat.limits.echo.rate.messages-per-second=1", "chat.limits.echo.rate.burst=3")) {
            try (TestClient first = TestClient.connect("ws://localhost:" + app.port() + "/echo");
                 RawWebSocket refused = RawWebSocket.handshake(app.port(), "/", Map.of());
                 TestClient chat = TestClient.connect("ws://localhost:" + app.port() + "/chat?room=echo-cap")) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).startsWith("echo_full:");
                assertThat(chat.next("welcome").path("room").asString()).isEqualTo("echo-cap");
                first.send("ok");
                assertThat(first.nextFrame()).isEqualTo("got your message: ok");
            }
            await().until(() -> app.context().getBean(ConnectionLimits.class).openConnections() == 0);
            try (TestClient flood = TestClient.connect("ws://localhost:" + app.port() + "/echo")) {
                for (int i = 0; i < 4; i++) {
                    flood.send("flood " + i);
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(flood.nextFrame()).isEqualTo("got your message: flood " + i);
                }
                var close = flood.awaitClose();
                assertThat(close.getCode()).isEqualTo(1008);
                assertThat(close.getReason()).isEqualTo("rate limit exceeded");
            }
        }
    }
}
