package io.wschat.chat;

/**
 * Why the server ends a connection. Standard RFC 6455 close codes where one fits;
 * private codes (4000–4999) only for what the RFC has no code for.
 */
public record Disconnect(int code, String reason) {

    public static final Disconnect NORMAL = new Disconnect(1000, "bye");
    public static final Disconnect GOING_AWAY = new Disconnect(1001, "server is shutting down");
    public static final Disconnect UNSUPPORTED_DATA = new Disconnect(1003, "binary messages are not supported");
    public static final Disconnect SERVER_ERROR = new Disconnect(1011, "internal server error");
    /** The client did not read its frames fast enough: its outbound buffer overflowed or a send took too long. */
    public static final Disconnect SLOW_CONSUMER = new Disconnect(4000, "slow consumer");

    public static Disconnect policyViolation(String why) {
        return new Disconnect(1008, why);
    }
}
