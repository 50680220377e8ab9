package io.wschat.websocket;

import java.util.Collections;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request Tomcat's upgrade and Spring's session are handed: both copy every header it lists and keep
 * the copy for the connection's life, so it lists none, while what the upgrade reads by name is still there.
 */
class HandshakeViewTests {

    private final MockHttpServletRequest browser = new MockHttpServletRequest("GET", "/chat");

    HandshakeViewTests() {
        browser.addHeader("Host", "localhost:8080");
        browser.addHeader("Upgrade", "websocket");
        browser.addHeader("Connection", "Upgrade");
        browser.addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        browser.addHeader("Sec-WebSocket-Version", "13");
        browser.addHeader("Sec-WebSocket-Protocol", "chat.v1");
        browser.addHeader("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
        browser.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0");
        browser.addHeader("Cookie", "session=" + "x".repeat(350));
    }

    @Test
    void shouldListNoHeaderSoThatNoCopyOutlivesTheHandshake() {
        var view = new LeanUpgradeStrategy.HandshakeView(browser, false);

        assertThat(Collections.list(view.getHeaderNames())).isEmpty();
        assertThat(new ServletServerHttpRequest(view).getHeaders().isEmpty()).isTrue();
    }

    @Test
    void shouldStillAnswerTheHeadersTheUpgradeReadsByName() {
        var view = new LeanUpgradeStrategy.HandshakeView(browser, false);

        assertThat(view.getHeader("sec-websocket-key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(view.getHeader("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(Collections.list(view.getHeaders("Sec-WebSocket-Protocol"))).containsExactly("chat.v1");
    }

    @Test
    void shouldHideTheCompressionOfferUnlessCompressionIsOn() {
        var declining = new LeanUpgradeStrategy.HandshakeView(browser, false);
        var accepting = new LeanUpgradeStrategy.HandshakeView(browser, true);

        assertThat(declining.getHeader("Sec-WebSocket-Extensions")).isNull();
        assertThat(Collections.list(declining.getHeaders("sec-websocket-extensions"))).isEmpty();
        assertThat(accepting.getHeader("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    }
}
