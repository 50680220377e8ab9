package io.wschat.chat;

/**
 * The one way a room event leaves this instance: encoded here, once, then handed to the broker,
 * which brings it back to this instance's members the same way as to every other instance's.
 */
public final class RoomPublisher {

    private final MessageBroker broker;
    private final ProtocolCodec codec;

    public RoomPublisher(MessageBroker broker, ProtocolCodec codec) {
        this.broker = broker;
        this.codec = codec;
    }

    /** A stored message, delivered to every member in sequence order. */
    public void publish(ChatMessage stored) {
        broker.publish(codec.broadcast(stored));
    }

    /** An event that is not stored (presence, typing, a room's job progress): delivered live, without a sequence. */
    public void publish(String room, ServerEvent event) {
        if (event instanceof ServerEvent.Message) {
            throw new IllegalArgumentException("messages are published once stored, with their sequence number");
        }
        broker.publish(new Broadcast(room, 0, codec.encode(event)));
    }
}
