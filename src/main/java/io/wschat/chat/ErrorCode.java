package io.wschat.chat;

/** Stable codes for {@code error} events; clients may switch on them, so never rename one. */
public enum ErrorCode {
    INVALID_JSON("invalid_json"),
    UNKNOWN_TYPE("unknown_type"),
    INVALID_COMMAND("invalid_command"),
    INVALID_ROOM("invalid_room"),
    INVALID_NAME("invalid_name"),
    /** Text that is not valid Unicode (an unpaired surrogate) or holds U+0000; see {@link TextRule}. */
    INVALID_TEXT("invalid_text"),
    EMPTY_TEXT("empty_text"),
    TEXT_TOO_LONG("text_too_long"),
    /** The connection sent faster than its rate limit; the frame was dropped. */
    RATE_LIMITED("rate_limited"),
    /** The room already has the most members a room may have. */
    ROOM_FULL("room_full"),
    /** The server already holds the most rooms it may; an existing room can still be joined. */
    TOO_MANY_ROOMS("too_many_rooms"),
    /** A progress job asked for more than the server allows (chunks, chunk size, interval). */
    INVALID_JOB("invalid_job"),
    /** The connection, or the whole server, already runs as many jobs as it may. */
    TOO_MANY_JOBS("too_many_jobs"),
    UNKNOWN_JOB("unknown_job"),
    /** {@code nick} from a connection whose name comes from its token: the token's name is the name. */
    NAME_LOCKED("name_locked"),
    /** The message store is unreachable or too slow; nothing was stored; retry later. */
    UNAVAILABLE("unavailable"),
    /** A command that needs a room, from a connection that is in none because entering one failed; send a join. */
    NOT_IN_ROOM("not_in_room"),
    /** The handshake's {@code client} parameter is not a usable client id. */
    INVALID_CLIENT("invalid_client");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
