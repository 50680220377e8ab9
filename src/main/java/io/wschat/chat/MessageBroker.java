package io.wschat.chat;

/**
 * Carries room events to every server instance, the publishing one included.
 *
 * <p>There is one delivery path: publish → broker → {@link Listener} on each instance →
 * that instance's local members. Delivery is at most once per instance; events published
 * from one thread for one room arrive in that order. A broker that cannot reach its
 * backend keeps delivering locally and reports itself degraded.
 */
public interface MessageBroker {

    void publish(String room, ServerEvent event);

    /** Sets the instance's receiver; called once, before the first publish. */
    void start(Listener listener);

    interface Listener {
        void onEvent(String room, ServerEvent event);
    }
}
