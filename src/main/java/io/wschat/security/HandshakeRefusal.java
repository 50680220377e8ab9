package io.wschat.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import io.wschat.chat.Rejections;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;

/** Answers a refused WebSocket handshake with a status and a one-line reason, and reports it. */
public final class HandshakeRefusal {

    private final Rejections rejections;

    public HandshakeRefusal(Rejections rejections) {
        this.rejections = rejections;
    }

    /**
     * Sets the status and a {@code text/plain} body {@code "<reason>: <message>"} and reports the rejection.
     * Always returns false, the value an interceptor returns to stop the handshake.
     */
    public boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status,
                          String reason, String message) {
        rejections.reject(null, remoteAddress(request), reason);
        response.setStatusCode(status);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
        try {
            response.getBody().write((reason + ": " + message + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    /** The peer's IP address, the key for per-address limits. */
    public static String remoteAddress(ServerHttpRequest request) {
        InetSocketAddress address = request.getRemoteAddress();
        return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
    }
}
