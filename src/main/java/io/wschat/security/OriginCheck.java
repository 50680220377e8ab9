package io.wschat.security;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Refuses cross-site WebSocket hijacking: a browser always sends the page's {@code Origin},
 * so a handshake from a page on a foreign origin gets 403 before it could ride the user's
 * cookies. A handshake without {@code Origin} comes from a non-browser client (curl, websocat,
 * a script), which a hostile page cannot be, so it is accepted.
 */
public final class OriginCheck implements HandshakeInterceptor {

    private final CorsConfiguration allowed = new CorsConfiguration();
    private final HandshakeRefusal refusal;

    OriginCheck(List<String> allowedOriginPatterns, HandshakeRefusal refusal) {
        allowed.setAllowedOriginPatterns(allowedOriginPatterns);
        this.refusal = refusal;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        String origin = request.getHeaders().getOrigin();
        if (origin == null || WebUtils.isSameOrigin(request) || allowed.checkOrigin(origin) != null) {
            return true;
        }
        return refusal.refuse(request, response, HttpStatus.FORBIDDEN, "origin_not_allowed",
                "pages from this origin may not open /chat; see chat.security.allowed-origins");
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }
}
