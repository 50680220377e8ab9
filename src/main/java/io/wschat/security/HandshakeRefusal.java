package io.wschat.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.Rejections;
import io.wschat.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;

/** Answers a refused WebSocket handshake with a status and a one-line reason, and reports it. */
public final class HandshakeRefusal {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Rejections rejections;

    public HandshakeRefusal(Rejections rejections) {
        this.rejections = rejections;
    }

    /**
     * Sets the status and a {@code text/plain} body {@code "<reason>: <message>"} (problem details with {@code code}
     * = reason under {@code /api/}) and reports the rejection.
     * Always returns false, the value an interceptor returns to stop the handshake.
     */
    public boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status,
                          String reason, String message) {
        rejections.reject(null, remoteAddress(request), reason);
        response.setStatusCode(status);
        byte[] body;
        if (request.getURI().getPath().startsWith("/api/")) {
            // The HTTP API answers every refusal in one shape, this one (RoutePolicy's chat-token check) included.
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            body = JSON.writeValueAsBytes(problem(Problems.withCode(ProblemDetail.forStatusAndDetail(status, message), reason),
                    request.getURI().getPath()));
        } else {
            response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
            body = (reason + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        }
        try {
            response.getBody().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    /** The members of RFC 9457 problem details, flat, as Spring MVC writes them. */
    private static Map<String, Object> problem(ProblemDetail problem, String instance) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        members.put("instance", instance);
        members.putAll(problem.getProperties());
        return members;
    }

    /** The peer's IP address, the key for per-address limits. */
    public static String remoteAddress(ServerHttpRequest request) {
        InetSocketAddress address = request.getRemoteAddress();
        return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
    }
}
