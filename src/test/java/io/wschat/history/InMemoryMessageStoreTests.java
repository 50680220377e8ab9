package io.wschat.history;

import java.time.Clock;

import io.wschat.chat.MessageStore;

class InMemoryMessageStoreTests extends MessageStoreContract {

    @Override
    protected MessageStore createStore(Clock clock) {
        return new InMemoryMessageStore(10_000, clock);
    }
}
