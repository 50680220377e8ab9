package io.wschat.websocket;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.wschat.chat.ServerEvent;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Keeps what the opening handshake looked like (request line, headers, and the
 * {@code Sec-WebSocket-Accept} the container answered) so {@code welcome} can show it.
 * Credentials never leave the server: cookies, authorization and tokens are masked.
 */
final class HandshakeRecorder implements HandshakeInterceptor {

    private static final String ATTRIBUTE = HandshakeRecorder.class.getName();
    private static final Set<String> SECRET_HEADERS = Set.of("cookie", "authorization", "proxy-authorization");

    /** Mutable because the accept header exists only after the session's attributes were copied. */
    private static final class Record {
        String requestLine;
        Map<String, String> headers;
        volatile String accept;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        Record record = new Record();
        String query = request.getURI().getRawQuery();
        String protocol = request instanceof ServletServerHttpRequest servlet
                ? servlet.getServletRequest().getProtocol() : "HTTP/1.1";
        record.requestLine = request.getMethod() + " " + request.getURI().getRawPath()
                + (query == null ? "" : "?" + query.replaceAll("(access_token=)[^&]*", "$1***")) + " " + protocol;
        record.headers = new LinkedHashMap<>();
        request.getHeaders().forEach((name, values) ->
                record.headers.put(name, SECRET_HEADERS.contains(name.toLowerCase()) ? "***" : String.join(", ", values)));
        attributes.put(ATTRIBUTE, record);
        if (request instanceof ServletServerHttpRequest servlet) {
            servlet.getServletRequest().setAttribute(ATTRIBUTE, record);
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
        // The attributes map was copied into the session, but it holds this same Record.
        if (request instanceof ServletServerHttpRequest servlet
                && servlet.getServletRequest().getAttribute(ATTRIBUTE) instanceof Record record) {
            record.accept = response.getHeaders().getFirst("Sec-WebSocket-Accept");
        }
    }

    static ServerEvent.Handshake of(Map<String, Object> sessionAttributes) {
        if (!(sessionAttributes.get(ATTRIBUTE) instanceof Record record)) {
            return null;
        }
        return new ServerEvent.Handshake(record.requestLine, record.headers, record.accept);
    }
}
