package io.wschat.chat;

/** The message store could not be reached or did not answer in time; nothing was stored. The client may retry. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
