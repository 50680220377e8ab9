package io.wschat.websocket;

import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EchoEndpointTests {

    @LocalServerPort
    int port;

    @Test
    void echoAnswersEveryMessage() throws Exception {
        try (TestClient client = TestClient.connect("ws://localhost:" + port + "/echo")) {
            client.send("hello");
            client.send("second");
            assertThat(client.nextFrame()).isEqualTo("got your message: hello");
            assertThat(client.nextFrame()).isEqualTo("got your message: second");
        }
    }

    @Test
    void theRootPathEchoesLikeTheConsoleClientExpects() throws Exception {
        try (TestClient client = TestClient.connect("ws://localhost:" + port)) {
            client.send("hello");
            assertThat(client.nextFrame()).isEqualTo("got your message: hello");
        }
    }

    @Test
    void echoAcceptsAnyOriginSoTheConsoleClientWorksFromAnyPage() throws Exception {
        var headers = new WebSocketHttpHeaders();
        headers.setOrigin("https://example.org");
        try (TestClient client = TestClient.connect("ws://localhost:" + port + "/", headers)) {
            client.send("from elsewhere");
            assertThat(client.nextFrame()).isEqualTo("got your message: from elsewhere");
        }
    }

    @Test
    void echoRefusesBinaryWith1003() throws Exception {
        try (TestClient client = TestClient.connect("ws://localhost:" + port + "/echo")) {
            client.session().sendMessage(new BinaryMessage(new byte[] {1, 2, 3}));
            assertThat(client.awaitClose().getCode()).isEqualTo(CloseStatus.NOT_ACCEPTABLE.getCode());
        }
    }
}
