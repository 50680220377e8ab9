package io.wschat.chat;

/**
 * Why the server ends a connection. Standard RFC 6455 close codes where one fits;
 * private codes (4000–4999) only for what the RFC has no code for.
 */
public record Disconnect(int code, String reason) {

    public static final Disconnect NORMAL = new Disconnect(1000, "bye");
    public static final Disconnect GOING_AWAY = new Disconnect(1001, "server is shutting down");
    public static final Disconnect UNSUPPORTED_DATA = new Disconnect(1003, "binary messages are not supported");
    /** A text message longer than {@code chat.max-frame-size}. */
    public static final Disconnect TOO_BIG = new Disconnect(1009, "message too big");
    /** The server failed to deliver to this connection (a defect, logged); the client may reconnect. */
    public static final Disconnect SERVER_ERROR = new Disconnect(1011, "internal server error");
    /** The room or server filled up between the handshake and the join; the client may retry later. */
    public static final Disconnect TRY_AGAIN_LATER = new Disconnect(1013, "try again later");
    /** The instance that ran the connection's game is gone (docs/SCALING.md, "Games"); reconnecting starts or joins it afresh. */
    public static final Disconnect HOST_LOST = new Disconnect(1012, "the game's host is gone; reconnect");
    /** Kept sending far above the rate limit after being told so. */
    public static final Disconnect RATE_ABUSE = new Disconnect(1008, "rate limit exceeded repeatedly");
    /** The client did not read its frames fast enough: its outbound buffer overflowed or a send took too long. */
    public static final Disconnect SLOW_CONSUMER = new Disconnect(4000, "slow consumer");
    /** Neither a pong nor a message arrived within the idle timeout: the peer is presumed dead. */
    public static final Disconnect IDLE_TIMEOUT = new Disconnect(4001, "idle timeout");
    /** The token the connection was opened with has expired; reconnect with a fresh one. */
    public static final Disconnect TOKEN_EXPIRED = new Disconnect(4003, "token expired");
}
