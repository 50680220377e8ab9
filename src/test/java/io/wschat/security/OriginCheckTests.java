package io.wschat.security;

import java.util.Map;

import io.wschat.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Cross-site WebSocket hijacking: only allowed origins may open {@code /chat}; echo is open to every page. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OriginCheckTests {

    @LocalServerPort
    int port;

    private int status(String path, Map<String, String> headers) throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(port, path, headers)) {
            return ws.status();
        }
    }

    @Test
    void aForeignOriginIsRefusedWith403AndAReason() throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat", Map.of("Origin", "https://evil.example"))) {
            assertThat(ws.status()).isEqualTo(403);
            assertThat(ws.body()).startsWith("origin_not_allowed:");
        }
    }

    @Test
    void theServersOwnOriginAndLocalhostPagesAreAccepted() throws Exception {
        assertThat(status("/chat", Map.of("Origin", "http://localhost:" + port))).isEqualTo(101);
        assertThat(status("/chat", Map.of("Origin", "http://localhost:3000"))).isEqualTo(101);
        assertThat(status("/chat", Map.of("Origin", "https://127.0.0.1:8443"))).isEqualTo(101);
    }

    @Test
    void localhostLookalikesAreRefused() throws Exception {
        assertThat(status("/chat", Map.of("Origin", "http://localhost.evil.example"))).isEqualTo(403);
        assertThat(status("/chat", Map.of("Origin", "http://evil.example:" + port))).isEqualTo(403);
    }

    @Test
    void aClientWithoutOriginIsAccepted() throws Exception {
        assertThat(status("/chat", Map.of())).isEqualTo(101);
    }

    @Test
    void theEchoEndpointsAcceptAnyOrigin() throws Exception {
        assertThat(status("/echo", Map.of("Origin", "https://evil.example"))).isEqualTo(101);
        assertThat(status("/", Map.of("Origin", "https://evil.example"))).isEqualTo(101);
    }
}
