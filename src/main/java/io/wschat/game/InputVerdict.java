package io.wschat.game;

/** What the simulation did with one input; every value but {@link #ACCEPTED} is a refusal the client is told about. */
public enum InputVerdict {
    /** Queued; it is applied on a coming tick and acknowledged then. */
    ACCEPTED(null),
    /** Its sequence number is not above the last one accepted: a repeat or a reordering; ignored silently. */
    STALE(null),
    /** A direction outside -100..100, or a sequence number outside 1..2^32-1. */
    OUT_OF_RANGE("input_range"),
    /** More inputs are waiting than the server applies in the coming ticks. */
    TOO_FAST("input_rate"),
    /** The input names a player that is not the sender's. */
    NOT_YOUR_PLAYER("not_your_player"),
    /** Not an input the protocol defines: wrong field types, a binary frame of the wrong shape. */
    MALFORMED("bad_input");

    private final String code;

    InputVerdict(String code) {
        this.code = code;
    }

    /** The {@code error} event's code, or null when the client is not told. */
    public String code() {
        return code;
    }
}
