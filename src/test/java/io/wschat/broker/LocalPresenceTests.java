package io.wschat.broker;

import io.wschat.chat.Presence;

/** The single-instance presence: one instance, so it is its own observer. */
class LocalPresenceTests extends PresenceContract {

    @Override
    protected Presence newPresence() {
        return new LocalPresence();
    }

    @Override
    protected Presence observerOf(Presence subject) {
        return subject;
    }
}
