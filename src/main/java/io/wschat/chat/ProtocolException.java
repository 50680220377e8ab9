package io.wschat.chat;

/**
 * A client sent something the protocol does not allow; answered with an {@code error} event, connection kept.
 * When the refused frame was a {@code message} with a {@code cid}, the error carries it, so the client
 * can tell which of its unacknowledged messages will never be stored.
 */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    /** The refused message's cid; null when there is none. */
    private final String cid;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    private ProtocolException(ErrorCode code, String message, String cid) {
        super(message);
        this.code = code;
        this.cid = cid;
    }

    public ErrorCode code() {
        return code;
    }

    /** The same refusal, about the message with this cid (none when null). */
    ProtocolException about(String cid) {
        return cid == null || cid.equals(this.cid) ? this : new ProtocolException(code, getMessage(), cid);
    }

    public ServerEvent.Error toEvent() {
        return new ServerEvent.Error(code.code(), getMessage(), cid);
    }
}
