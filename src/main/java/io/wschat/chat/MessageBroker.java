package io.wschat.chat;

/**
 * Carries room broadcasts to every server instance, the publishing one included.
 *
 * <p>There is one delivery path: {@link RoomPublisher} → {@link #publish} → the broker → the
 * {@link Listener} on each instance that subscribed to the room → that instance's local members.
 * The publishing instance receives its own broadcast the same way as every other instance, so
 * one instance and many behave alike. Guarantees, for every implementation:
 * <ul>
 *   <li>each broadcast reaches each subscribed listener at most once, with its frame unchanged;</li>
 *   <li>a room's sequenced broadcasts ({@link Broadcast#sequenced()}) reach the listener in
 *       sequence order without gaps, even when several threads or instances publish to the room at
 *       once: one that arrives early waits for its predecessors, and a predecessor that never
 *       arrives (dropped, or its publisher crashed between storing and publishing) is read from the
 *       {@link MessageStore}, which must hold every message before it is published;</li>
 *   <li>broadcasts without a sequence pass on as they arrive;</li>
 *   <li>a broker that cannot reach its backend keeps delivering locally and reports itself degraded.</li>
 * </ul>
 * The listener is called on the broker's threads, one room's broadcasts at a time; it must only
 * queue frames (see {@link ClientConnection#send}), never wait.
 */
public interface MessageBroker {

    /** Sends a broadcast to the room's members on every instance; never blocks on the network. */
    void publish(Broadcast broadcast);

    /** Sets the instance's receiver; called once, before the first publish. */
    void start(Listener listener);

    /**
     * This instance now has members in {@code room}: broadcasts of messages stored from now on
     * reach the listener. May read the store; called before the joining member's history is
     * read, so a message is either in that history or delivered live (or both; members drop
     * repeats). Calls for one room are never concurrent (the caller holds that room's own lock).
     */
    void subscribe(String room);

    /** The last local member left {@code room}: nothing more of it reaches the listener. */
    void unsubscribe(String room);

    interface Listener {
        void onBroadcast(Broadcast broadcast);
    }
}
