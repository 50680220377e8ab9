package io.wschat.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Inflater;

import io.wschat.support.RawWebSocket;
import io.wschat.support.RunningApp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compression extension every browser offers: declined by default on every endpoint, so no
 * connection carries a zlib compressor; accepted, and used, with {@code chat.permessage-deflate=true}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PermessageDeflateTests {

    /** What Chromium sends. */
    private static final Map<String, String> OFFER = Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");

    @LocalServerPort
    int port;

    @Test
    void shouldDeclineTheOfferOnEveryEndpointByDefault() throws Exception {
        for (String path : new String[] {"/", "/echo", "/chat?name=ann", "/game/ws?game=g&name=ann"}) {
            try (RawWebSocket socket = RawWebSocket.handshake(port, path, OFFER)) {
                assertThat(socket.status()).as(path).isEqualTo(101);
                assertThat(socket.header("sec-websocket-extensions")).as(path).isNull();
            }
        }
        try (RawWebSocket socket = RawWebSocket.handshake(port, "/echo", OFFER)) {
            socket.sendText("hello");
            assertThat(socket.nextText()).isEqualTo("got your message: hello");
        }
    }

    @Test
    void shouldAcceptAndCompressWhenTurnedOn() throws Exception {
        try (RunningApp app = RunningApp.start("chat.permessage-deflate=true");
             RawWebSocket socket = RawWebSocket.handshake(app.port(), "/echo", OFFER)) {
            assertThat(socket.header("sec-websocket-extensions")).startsWith("permessage-deflate");
            socket.sendText("hello");
            byte[] payload = socket.nextFrame().payload();
            assertThat(inflate(payload)).isEqualTo("got your message: hello");
        }
    }

    /** RFC 7692 section 7.2.2: the sender dropped the final empty block's tail; put it back, then inflate. */
    private static String inflate(byte[] payload) throws Exception {
        Inflater inflater = new Inflater(true);
        byte[] input = new byte[payload.length + 4];
        System.arraycopy(payload, 0, input, 0, payload.length);
        System.arraycopy(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}, 0, input, payload.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        while (!inflater.needsInput()) {
            out.write(chunk, 0, inflater.inflate(chunk));
        }
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }
}
