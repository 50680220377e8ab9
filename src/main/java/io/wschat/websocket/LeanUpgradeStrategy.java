package io.wschat.websocket;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Spring's upgrade to a Tomcat WebSocket, handed a view of the handshake request that keeps two
 * costs off every connection:
 * <ul>
 * <li>the {@code permessage-deflate} extension (RFC 7692) that every browser offers, unless
 *     {@code chat.permessage-deflate} is on. Tomcat negotiates extensions from the request's own
 *     header, whatever Spring selected, so the view hides the offer. A connection that negotiates
 *     it gets a zlib compressor and decompressor with their windows: measured, 111 KiB of resident
 *     memory per idle connection with it against 18 KiB without, for frames mostly too small to shrink;</li>
 * <li>copies of headers nobody reads after the handshake. Spring's session and Tomcat's each keep
 *     a copy of every header the request lists for the connection's whole life (about 2 KB for the
 *     five a minimal client sends; a browser's cookies and user agent add a kilobyte or more). The
 *     view lists none: Tomcat and Spring read what the upgrade needs by name, which still works, and
 *     the handshake interceptors, which run before it, see the whole request. Nothing reads a
 *     session's handshake headers afterwards.</li>
 * </ul>
 */
final class LeanUpgradeStrategy extends StandardWebSocketUpgradeStrategy {

    private static final String EXTENSIONS = "sec-websocket-extensions";

    private final boolean permessageDeflate;

    LeanUpgradeStrategy(boolean permessageDeflate) {
        this.permessageDeflate = permessageDeflate;
    }

    @Override
    public void upgrade(ServerHttpRequest request, ServerHttpResponse response, String selectedProtocol,
                        List<WebSocketExtension> selectedExtensions, Principal user, WebSocketHandler wsHandler,
                        Map<String, Object> attrs) {
        HttpServletRequest view = new HandshakeView(getHttpServletRequest(request), permessageDeflate);
        super.upgrade(new ServletServerHttpRequest(view), response, selectedProtocol, selectedExtensions, user, wsHandler, attrs);
    }

    /** What Tomcat's upgrade and Spring's session see of the handshake request. */
    static final class HandshakeView extends HttpServletRequestWrapper {

        private final boolean permessageDeflate;

        HandshakeView(HttpServletRequest request, boolean permessageDeflate) {
            super(request);
            this.permessageDeflate = permessageDeflate;
        }

        private boolean hidden(String name) {
            return !permessageDeflate && EXTENSIONS.equalsIgnoreCase(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }
    }
}
