package io.wschat.websocket;

import java.util.Map;

import io.wschat.security.HandshakeRefusal;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/** RFC 6455 §4.1: the opening handshake is a GET; anything else is a bad request (400). */
final class RequireGetInterceptor implements HandshakeInterceptor {

    private final HandshakeRefusal refusal;

    RequireGetInterceptor(HandshakeRefusal refusal) {
        this.refusal = refusal;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        if (HttpMethod.GET.equals(request.getMethod())) {
            return true;
        }
        return refusal.refuse(request, response, HttpStatus.BAD_REQUEST, "not_a_get",
                "a WebSocket handshake must be a GET request");
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }
}
