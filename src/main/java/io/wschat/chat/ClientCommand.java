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

    /** A page of the current room's member list: {@code limit} (or a default) members from position {@code offset}. */
    record Members(Integer offset, Integer limit) implements ClientCommand {
    }

    record Ping(String id) implements ClientCommand {
    }

    record Typing() implements ClientCommand {
    }

    /**
     * Commands for server push that is not chat (progress jobs, subscriptions), handled by
     * {@link LiveUpdates} so the chat core does not depend on them.
     */
    sealed interface Live extends ClientCommand {
    }

    /**
     * Start a simulated job that downloads {@code chunks} chunks of {@code chunkBytes}, one every
     * {@code intervalMillis}; null fields take the server's defaults. {@code failAtChunk} makes it fail there.
     */
    record StartProgress(Integer chunks, Integer chunkBytes, Integer intervalMillis, Integer failAtChunk,
                         String label) implements Live {
    }

    record CancelProgress(String jobId) implements Live {
    }

    /** Opt in to a push topic ({@code time}); {@code intervalMillis} null takes the server's default. */
    record Subscribe(String topic, Integer intervalMillis) implements Live {
    }

    record Unsubscribe(String topic) implements Live {
    }
}
