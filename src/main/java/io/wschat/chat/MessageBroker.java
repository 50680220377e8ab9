package io.wschat.chat;

/**
 * Carries room events to every server instance, the publishing one included.
 *
 * <p>There is one delivery path: publish → broker → {@link Listener} on each instance →
 * that instance's local members. Each event reaches each subscribed instance at most once,
 * and a room's {@link ServerEvent.Message}s reach the listener in sequence order without
 * gaps, even when several instances publish to the room. A broker that cannot reach its
 * backend keeps delivering locally and reports itself degraded.
 */
public interface MessageBroker {

    /** Sends an event to the room's members on every instance; never blocks on the network. */
    void publish(String room, ServerEvent event);

    /** Sets the instance's receiver; called once, before the first publish. */
    void start(Listener listener);

    /**
     * This instance now has members in {@code room}: events published from now on reach the
     * listener. Called under the room's lock, before the joining member's history is read, so
     * a message is either in that history or delivered live (or both; members drop repeats).
     */
    default void subscribe(String room) {
    }

    /** The last local member left {@code room}; called under the room's lock. */
    default void unsubscribe(String room) {
    }

    interface Listener {
        void onEvent(String room, ServerEvent event);
    }
}
