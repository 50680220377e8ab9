package io.wschat.chat;

/** What a {@code /chat} client asks for. Parsed and validated by {@link ProtocolCodec}. */
public sealed interface ClientCommand {

    /** A chat message to the current room. {@code cid} is optional and makes resends idempotent. */
    record SendMessage(String text, String cid) implements ClientCommand {
    }

    /** Leave the current room and enter another; {@code since} asks for every message after that sequence. */
    record Join(String room, Long since) implements ClientCommand {
    }

    /** Older messages of the current room: the newest {@code limit} (or a default) with {@code seq < before} (or the latest). */
    record History(Long before, Integer limit) implements ClientCommand {
    }

    record Nick(String name) implements ClientCommand {
    }

    record Ping(String id) implements ClientCommand {
    }

    record Typing() implements ClientCommand {
    }
}
