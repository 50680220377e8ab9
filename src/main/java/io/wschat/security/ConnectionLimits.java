package io.wschat.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Caps open WebSocket connections per client address (429) and in total (503). A slot is taken
 * at the handshake, so the cap holds even while many handshakes race, and given back when the
 * handshake fails or the connection closes (see {@link #releasingOnClose}).
 *
 * <p>The total is never above what the heap can hold (see {@link LimitsProperties.Heap}): a full
 * server answers new handshakes with 503 and keeps serving the connections it has, instead of
 * running out of memory. The echo endpoints have a cap of their own as well ({@link #echoCap}),
 * so that anonymous echo clients cannot take every slot from {@code /chat}.
 */
public final class ConnectionLimits implements HandshakeInterceptor {

    private static final String SLOT = ConnectionLimits.class.getName() + ".address";
    private static final String ECHO_SLOT = ConnectionLimits.class.getName() + ".echo";

    private final int perAddress;
    private final int total;
    private final int echoTotal;
    private final HandshakeRefusal refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger openEcho = new AtomicInteger();
    private final Map<String, Integer> openByAddress = new ConcurrentHashMap<>();
    private final HandshakeInterceptor echoCap = new EchoCap();

    ConnectionLimits(int perAddress, int total, int echoTotal, HandshakeRefusal refusal) {
        this.perAddress = perAddress;
        this.total = total;
        this.echoTotal = echoTotal;
        this.refusal = refusal;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        String address = HandshakeRefusal.remoteAddress(request);
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return refusal.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "server_full",
                    "the server has its maximum of " + total + " connections; try again later");
        }
        boolean[] allowed = {true};
        openByAddress.merge(address, 1, (count, one) -> {
            allowed[0] = perAddress == 0 || count < perAddress;
            return allowed[0] ? count + 1 : count;
        });
        if (!allowed[0]) {
            open.decrementAndGet();
            return refusal.refuse(request, response, HttpStatus.TOO_MANY_REQUESTS, "too_many_connections_from_address",
                    "this address already has " + perAddress + " open connections");
        }
        attributes.put(SLOT, address);
        // Also kept on the request: a later interceptor may refuse, and afterHandshake sees only the request.
        request.getAttributes().put(SLOT, address);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
        if (!upgraded(response, exception) && request.getAttributes().remove(SLOT) instanceof String address) {
            release(address);
        }
    }

    /** Wraps an endpoint's handler so that a closed connection gives its slot back. */
    public WebSocketHandler releasingOnClose(WebSocketHandler handler) {
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
                try {
                    super.afterConnectionClosed(session, status);
                } finally {
                    if (session.getAttributes().remove(SLOT) instanceof String address) {
                        release(address);
                    }
                    if (session.getAttributes().remove(ECHO_SLOT) != null) {
                        openEcho.decrementAndGet();
                    }
                }
            }
        };
    }

    /**
     * The echo endpoints' own cap, after this interceptor in their chain: a slot in the total is
     * taken first, and given back by {@link #afterHandshake} when the echo cap refuses.
     */
    public HandshakeInterceptor echoCap() {
        return echoCap;
    }

    /** The most connections this server accepts in total. */
    public int maxConnections() {
        return total;
    }

    int openConnections() {
        return open.get();
    }

    private static boolean upgraded(ServerHttpResponse response, Exception exception) {
        return exception == null && response instanceof ServletServerHttpResponse servlet
                && servlet.getServletResponse().getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS;
    }

    private final class EchoCap implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                       WebSocketHandler handler, Map<String, Object> attributes) {
            if (openEcho.incrementAndGet() > echoTotal && echoTotal > 0) {
                openEcho.decrementAndGet();
                return refusal.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "echo_full",
                        "the echo endpoints have their maximum of " + echoTotal + " connections; try again later");
            }
            attributes.put(ECHO_SLOT, Boolean.TRUE);
            request.getAttributes().put(ECHO_SLOT, Boolean.TRUE);
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Exception exception) {
            if (!upgraded(response, exception) && request.getAttributes().remove(ECHO_SLOT) != null) {
                openEcho.decrementAndGet();
            }
        }
    }

    private void release(String address) {
        open.decrementAndGet();
        openByAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }
}
