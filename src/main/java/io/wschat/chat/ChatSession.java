package io.wschat.chat;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One connected {@code /chat} client: who it is, which room it is in, and what it has been sent.
 *
 * <p>Delivery is serialized per session. Message events are delivered at most once and in
 * sequence order: one whose {@code seq} is not above the last one sent is a duplicate (for
 * example, a live copy of a message already sent as history) and is dropped. While a join
 * is sending history, live events wait in a bounded buffer, so nothing overtakes the history.
 */
public final class ChatSession {

    private final ClientConnection connection;
    private final ServerEvent.Handshake handshake;
    private final int maxPendingDuringRecovery;
    /** Null when the rate limit is off. */
    private final RateLimit rateLimit;
    /** The name is the token's: {@code nick} may not change it. */
    private final boolean nameFromToken;
    private volatile String name;
    private volatile String room;

    private long lastSeq;
    private Queue<Broadcast> pending;

    ChatSession(ClientConnection connection, String name, boolean nameFromToken, ServerEvent.Handshake handshake,
                int maxPendingDuringRecovery, RateLimit rateLimit) {
        this.connection = connection;
        this.name = name;
        this.nameFromToken = nameFromToken;
        this.handshake = handshake;
        this.maxPendingDuringRecovery = maxPendingDuringRecovery;
        this.rateLimit = rateLimit;
    }

    public String id() {
        return connection.id();
    }

    public String name() {
        return name;
    }

    public String room() {
        return room;
    }

    boolean nameFromToken() {
        return nameFromToken;
    }

    public Member member() {
        return new Member(id(), name);
    }

    public ClientConnection connection() {
        return connection;
    }

    ServerEvent.Handshake handshake() {
        return handshake;
    }

    /** Whether the frame that just arrived is within this connection's rate limit. */
    RateLimit.Verdict checkRate() {
        return rateLimit == null ? RateLimit.Verdict.ACCEPT : rateLimit.check();
    }

    void rename(String name) {
        this.name = name;
    }

    /** Enters a room with live events held back until {@link #endRecovery}. */
    synchronized void beginRecovery(String room) {
        this.room = room;
        this.lastSeq = 0;
        this.pending = new ArrayDeque<>();
    }

    /** The entry failed and was undone: the session is in no room until it joins one. */
    synchronized void abandonRecovery() {
        this.room = null;
        this.pending = null;
    }

    /** Sends the welcome (with history up to {@code deliveredSeq}), then whatever live arrived meanwhile. */
    synchronized void endRecovery(String welcomeFrame, long deliveredSeq) {
        connection.send(welcomeFrame);
        lastSeq = deliveredSeq;
        Queue<Broadcast> held = pending;
        pending = null;
        held.forEach(this::sendIfNew);
    }

    /** Sends or holds the event; false when it had to be dropped because the recovery buffer is full. */
    synchronized boolean deliver(Broadcast event) {
        if (!event.room().equals(room)) {
            // A late event of the room this session just left; its seq belongs to another sequence.
            return true;
        }
        if (pending == null) {
            sendIfNew(event);
        } else if (pending.size() < maxPendingDuringRecovery) {
            pending.add(event);
        } else {
            connection.close(Disconnect.SLOW_CONSUMER);
            return false;
        }
        return true;
    }

    private void sendIfNew(Broadcast event) {
        if (event.seq() > 0) {
            if (event.seq() <= lastSeq) {
                return;
            }
            lastSeq = event.seq();
        }
        connection.send(event.frame());
    }

    /** Sends an event to this client alone (replies, errors); never held back. */
    void reply(String frame) {
        connection.send(frame);
    }
}
