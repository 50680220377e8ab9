package io.wschat.websocket;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The opening handshake as bytes on the wire, with the example from RFC 6455 §1.3. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HandshakeTests {

    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @LocalServerPort
    int port;

    @Test
    void answersTheRfcExampleWith101AndTheRfcAccept() throws Exception {
        String response = exchange("GET /chat HTTP/1.1\r\n"
                + "Host: example.com:8000\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RFC_KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        // Tomcat omits the optional reason phrase ("Switching Protocols"); RFC 9112 §4 allows that.
        assertThat(statusLine(response)).startsWith("HTTP/1.1 101");
        assertThat(response).containsIgnoringCase("\r\nUpgrade: websocket\r\n")
                .containsIgnoringCase("\r\nConnection: upgrade\r\n")
                .contains("\r\nSec-WebSocket-Accept: " + RFC_ACCEPT + "\r\n");
    }

    @Test
    void acceptsTheUpgradeOnTheRootPathToo() throws Exception {
        assertThat(statusLine(exchange(upgrade("GET", "/", "13", true)))).startsWith("HTTP/1.1 101");
    }

    @Test
    void refusesAnUpgradeWithoutAKeyWith400() throws Exception {
        assertThat(statusLine(exchange(upgrade("GET", "/chat", "13", false)))).isEqualTo("HTTP/1.1 400");
    }

    @Test
    void refusesAnUpgradeThatIsNotAGetWith400() throws Exception {
        assertThat(statusLine(exchange(upgrade("POST", "/chat", "13", true)))).isEqualTo("HTTP/1.1 400");
        assertThat(statusLine(exchange(upgrade("POST", "/echo", "13", true)))).isEqualTo("HTTP/1.1 400");
    }

    @Test
    void answersAnUnsupportedVersionWith426AndTheSupportedOne() throws Exception {
        String response = exchange(upgrade("GET", "/chat", "8", true));
        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 426");
        assertThat(response).containsIgnoringCase("\r\nSec-WebSocket-Version: 13\r\n");
    }

    @Test
    void refusesAnInvalidRoomOrNameWith400AndAReason() throws Exception {
        String badRoom = exchange(upgrade("GET", "/chat?room=no%20spaces", "13", true));
        assertThat(statusLine(badRoom)).isEqualTo("HTTP/1.1 400");
        assertThat(badRoom).contains("invalid_room");
        String badName = exchange(upgrade("GET", "/chat?name=%3Cscript%3E", "13", true));
        assertThat(statusLine(badName)).isEqualTo("HTTP/1.1 400");
        assertThat(badName).contains("invalid_name");
    }

    @Test
    void plainGetOfTheRootServesThePage() throws Exception {
        String response = exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 200");
        assertThat(response).containsIgnoringCase("Content-Type: text/html").contains("<html");
    }

    private static String upgrade(String method, String path, String version, boolean withKey) {
        return method + " " + path + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + (withKey ? "Sec-WebSocket-Key: " + RFC_KEY + "\r\n" : "")
                + "Sec-WebSocket-Version: " + version + "\r\n"
                + ("GET".equals(method) ? "" : "Content-Length: 0\r\n")
                + "\r\n";
    }

    /** Sends raw bytes and reads the response head (and, for non-101 answers, the body until close). */
    private String exchange(String request) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                String soFar = received.toString(StandardCharsets.UTF_8);
                int headEnd = soFar.indexOf("\r\n\r\n");
                if (headEnd >= 0 && (soFar.startsWith("HTTP/1.1 101") || bodyComplete(soFar, headEnd))) {
                    return soFar;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return soFar;
                }
                received.write(buffer, 0, n);
            }
        }
    }

    private static boolean bodyComplete(String response, int headEnd) {
        String head = response.substring(0, headEnd).toLowerCase();
        int lengthAt = head.indexOf("content-length: ");
        if (lengthAt < 0) {
            return head.contains("transfer-encoding: chunked") && response.endsWith("0\r\n\r\n");
        }
        int length = Integer.parseInt(head.substring(lengthAt + 16).split("\r\n")[0].trim());
        return response.getBytes(StandardCharsets.UTF_8).length >= headEnd + 4 + length;
    }

    private static String statusLine(String response) {
        return response.substring(0, response.indexOf("\r\n")).trim();
    }
}
