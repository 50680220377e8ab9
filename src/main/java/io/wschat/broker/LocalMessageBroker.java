package io.wschat.broker;

import io.wschat.chat.MessageBroker;
import io.wschat.chat.ServerEvent;

/** The single-instance broker: a publish is delivered at once, on the publishing thread. */
public final class LocalMessageBroker implements MessageBroker {

    private volatile Listener listener;

    @Override
    public void start(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void publish(String room, ServerEvent event) {
        listener.onEvent(room, event);
    }
}
