package io.wschat.chat;

import java.nio.charset.StandardCharsets;

/**
 * A text frame and its UTF-8 bytes, encoded on first use and then shared by every connection it
 * goes to: a room's broadcast or a game's state is encoded once, not once per member (one encoding
 * per member was 10% of a delivery's CPU in a 1,010-member room, docs/PERFORMANCE.md).
 */
public final class SharedFrame {

    private final String text;
    /** Computed at most a few times (a race only encodes twice); volatile so that the array is seen whole. */
    private volatile byte[] utf8;

    public SharedFrame(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a frame needs its text");
        }
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The text as UTF-8; callers must not change the array. A lone surrogate becomes '?', as Java's encoder makes it. */
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SharedFrame frame && frame.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
