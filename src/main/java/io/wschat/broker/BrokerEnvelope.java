package io.wschat.broker;

import java.nio.charset.StandardCharsets;

import io.wschat.chat.Broadcast;

/**
 * What travels on a room's Redis channel: a broadcast, or a {@code head} notice saying the
 * room's history reaches that sequence number (sent when an instance's link returns, so others
 * fetch what it stored while it could not publish).
 *
 * <p>The wire form is one header line of ASCII fields separated by spaces, then the frame as
 * its publisher encoded it: {@code b <seq> <publishedAt> <origin>\n<frame>} for a broadcast,
 * {@code h <head> <publishedAt> <origin>} for a notice. A receiver reads the header and slices
 * the frame out of the body; it never parses or re-encodes the frame.
 *
 * @param origin      the publishing instance, for logs (letters, digits, '_', '.', '-': see {@link BrokerProperties})
 * @param publishedAt the publisher's clock when the event was handed to the broker, for the lag metric
 * @param seq         the message's sequence (0 for events without one), or the head a notice announces
 * @param frame       the broadcast's frame; null for a head notice
 */
record BrokerEnvelope(String origin, long publishedAt, long seq, String frame) {

    static BrokerEnvelope of(String origin, long publishedAt, Broadcast broadcast) {
        return new BrokerEnvelope(origin, publishedAt, broadcast.seq(), broadcast.frame().text());
    }

    static BrokerEnvelope head(String origin, long publishedAt, long head) {
        return new BrokerEnvelope(origin, publishedAt, head, null);
    }

    boolean isHead() {
        return frame == null;
    }

    Broadcast broadcast(String room) {
        return new Broadcast(room, seq, frame);
    }

    String encode() {
        String header = (isHead() ? "h " : "b ") + seq + ' ' + publishedAt + ' ' + origin;
        return isHead() ? header : header + '\n' + frame;
    }

    /** Reads an envelope; throws {@link IllegalArgumentException} for one this version cannot read. */
    static BrokerEnvelope decode(byte[] body) {
        int newline = indexOf(body, (byte) '\n');
        String header = new String(body, 0, newline < 0 ? body.length : newline, StandardCharsets.US_ASCII);
        String[] fields = header.split(" ", 4);
        if (fields.length != 4 || !(fields[0].equals("b") || fields[0].equals("h")) || fields[0].equals("b") == (newline < 0)) {
            throw new IllegalArgumentException("not a broker envelope: '" + abbreviate(header) + "'");
        }
        long seq;
        long publishedAt;
        try {
            seq = Long.parseLong(fields[1]);
            publishedAt = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a broker envelope: '" + abbreviate(header) + "'");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("a negative sequence in envelope '" + abbreviate(header) + "'");
        }
        String frame = newline < 0 ? null
                : new String(body, newline + 1, body.length - newline - 1, StandardCharsets.UTF_8);
        return new BrokerEnvelope(fields[3], publishedAt, seq, frame);
    }

    private static int indexOf(byte[] body, byte b) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
