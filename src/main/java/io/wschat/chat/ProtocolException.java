package io.wschat.chat;

/** A client sent something the protocol does not allow; answered with an {@code error} event, connection kept. */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public ServerEvent.Error toEvent() {
        return ServerEvent.Error.of(code, getMessage());
    }
}
