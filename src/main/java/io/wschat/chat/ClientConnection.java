package io.wschat.chat;

/**
 * One client's transport as the core sees it: a text sink and a way to close.
 *
 * <p>Implementations must never block the caller: {@link #send} only queues the frame,
 * and a connection whose queue overflows closes itself, so one slow client cannot stall
 * delivery to others. Frames are delivered in the order they were sent.
 */
public interface ClientConnection {

    String id();

    /**
     * Who is on the other end, stable across its reconnects when the client says so: the key its
     * message {@code cid}s are de-duplicated under. The token's subject when tokens are on, else the
     * client id presented at the handshake, else a key unique to this connection. Never shown to others.
     */
    default String clientKey() {
        return "conn:" + id();
    }

    /** The peer's address as seen by the server, for logs and per-address limits. */
    String remoteAddress();

    /** Queues an already encoded text frame; drops it silently if the connection is closing. */
    void send(String encodedFrame);

    /** As {@link #send(String)}, for a frame that many connections are sent: a transport that writes bytes encodes it once for all. */
    default void send(SharedFrame frame) {
        send(frame.text());
    }

    /**
     * Latest-value delivery: queues a text frame under {@code key}, replacing the one queued
     * under the same key that has not been written yet (if any), so a slow client gets fewer,
     * newer frames and no backlog. Frames queued with {@link #send} go first, so
     * they are never held up behind one. Returns true when it replaced one.
     */
    boolean sendLatest(String key, String encodedFrame);

    /** As {@link #sendLatest(String, String)}, for a binary frame; only for connections that negotiated binary. */
    boolean sendLatest(String key, byte[] binaryFrame);

    /** Accepts no more frames, writes those already queued, then closes with the given status; returns at once. */
    default void closeWhenDrained(Disconnect reason) {
        close(reason);
    }

    /** Starts a close with the given status; returns at once. */
    void close(Disconnect reason);
}
