package io.wschat.chat;

/**
 * A room event as it travels to members: encoded once, by its publisher, for every instance.
 * Brokers carry {@code frame} as it is and hubs queue it as it is; nobody parses it again.
 *
 * @param room  the room whose members get it
 * @param seq   the message's sequence number in the room; 0 for events that have none (presence, typing, progress)
 * @param frame the text frame a client receives, its bytes encoded once for all of them
 */
public record Broadcast(String room, long seq, SharedFrame frame) {

    public Broadcast {
        if (room == null || frame == null || seq < 0) {
            throw new IllegalArgumentException("a broadcast needs a room, a frame and a sequence of 0 or more");
        }
    }

    /** A broadcast of a frame encoded as text. */
    public Broadcast(String room, long seq, String frame) {
        this(room, seq, frame == null ? null : new SharedFrame(frame));
    }

    /** Whether this is a stored message, which members receive in sequence order, once. */
    public boolean sequenced() {
        return seq > 0;
    }
}
