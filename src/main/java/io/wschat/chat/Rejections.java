package io.wschat.chat;

/**
 * Where refusals go: every frame, command or connection the server turns away is reported
 * here exactly once, so the application can log and count it.
 */
public interface Rejections {

    /**
     * @param sessionId     the connection's id, or null before the WebSocket exists (a refused handshake)
     * @param remoteAddress the peer's address
     * @param reason        a stable, low-cardinality reason such as {@code rate_limited}; never client data
     */
    void reject(String sessionId, String remoteAddress, String reason);
}
