package io.wschat.game;

import java.nio.ByteBuffer;

/**
 * The wire forms of game state (docs/PROTOCOL.md, "Game state"): a full snapshot, or a delta
 * that holds only what differs from a base snapshot the client acknowledged. Binary and JSON
 * carry the same fields. The body is encoded once per (tick, base) and shared by every
 * client with that base; only the acknowledged input sequence differs per client, and
 * {@link #forClient} writes it into a copy.
 */
public final class StateCodec {

    static final byte KIND_FULL = 1;
    static final byte KIND_DELTA = 2;
    /** Where the per-client acknowledgement sits in a binary state frame. */
    static final int ACK_OFFSET = 9;
    private static final int HEADER = 18;
    private static final int PLAYER_BYTES = 8;
    private static final int COIN_BYTES = 5;

    private StateCodec() {
    }

    /** A state frame for all clients with the same base, without the per-client acknowledgement. */
    public record Encoded(boolean full, byte[] binary, String jsonTail) {

        /** The binary frame for one client, acknowledging its input {@code ack}. */
        public byte[] binaryFor(long ack) {
            byte[] frame = binary.clone();
            ByteBuffer.wrap(frame).putInt(ACK_OFFSET, (int) ack);
            return frame;
        }

        /** The JSON frame for one client, acknowledging its input {@code ack}. */
        public String jsonFor(long ack) {
            return "{\"type\":\"state\",\"ack\":" + ack + jsonTail;
        }
    }

    /** Encodes {@code current} as a delta against {@code base}, or in full when {@code base} is null. */
    public static Encoded encode(Snapshot current, Snapshot base, boolean binary, boolean json) {
        int[] changed = changedPlayers(current, base);
        int[] gone = gonePlayers(current, base);
        int[] coins = changedCoins(current, base);
        return new Encoded(base == null, binary ? binary(current, base, changed, gone, coins) : null,
                json ? json(current, base, changed, gone, coins) : null);
    }

    private static byte[] binary(Snapshot s, Snapshot base, int[] changed, int[] gone, int[] coins) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + 2 + changed.length * PLAYER_BYTES + 2 + gone.length * 2 + 1
                + coins.length * COIN_BYTES);
        out.put(base == null ? KIND_FULL : KIND_DELTA)
                .putInt(s.tick())
                .putInt(base == null ? 0 : base.tick())
                .putInt(0)
                .put((byte) (s.intermission() ? 1 : 0))
                .putShort((short) s.round())
                .putShort((short) s.ticksLeft())
                .putShort((short) changed.length);
        for (int i : changed) {
            out.putShort((short) s.ids()[i]).putShort((short) s.xs()[i]).putShort((short) s.ys()[i]).putShort((short) s.scores()[i]);
        }
        out.putShort((short) gone.length);
        for (int id : gone) {
            out.putShort((short) id);
        }
        out.put((byte) coins.length);
        for (int c : coins) {
            out.put((byte) c).putShort((short) s.coinXs()[c]).putShort((short) s.coinYs()[c]);
        }
        return out.array();
    }

    private static String json(Snapshot s, Snapshot base, int[] changed, int[] gone, int[] coins) {
        StringBuilder out = new StringBuilder(64 + changed.length * 24)
                .append(",\"full\":").append(base == null)
                .append(",\"tick\":").append(s.tick())
                .append(",\"base\":").append(base == null ? 0 : base.tick())
                .append(",\"phase\":\"").append(s.intermission() ? "intermission" : "playing")
                .append("\",\"round\":").append(s.round())
                .append(",\"left\":").append(s.ticksLeft())
                .append(",\"players\":[");
        for (int k = 0; k < changed.length; k++) {
            int i = changed[k];
            out.append(k == 0 ? "[" : ",[").append(s.ids()[i]).append(',').append(s.xs()[i]).append(',')
                    .append(s.ys()[i]).append(',').append(s.scores()[i]).append(']');
        }
        out.append("],\"gone\":[");
        for (int k = 0; k < gone.length; k++) {
            out.append(k == 0 ? "" : ",").append(gone[k]);
        }
        out.append("],\"coins\":[");
        for (int k = 0; k < coins.length; k++) {
            int c = coins[k];
            out.append(k == 0 ? "[" : ",[").append(c).append(',').append(s.coinXs()[c]).append(',').append(s.coinYs()[c]).append(']');
        }
        return out.append("]}").toString();
    }

    /** Indexes in {@code current} of players that are new or moved or scored since {@code base}. */
    private static int[] changedPlayers(Snapshot current, Snapshot base) {
        int[] out = new int[current.players()];
        int n = 0;
        int b = 0;
        for (int i = 0; i < current.players(); i++) {
            int id = current.ids()[i];
            while (base != null && b < base.players() && base.ids()[b] < id) {
                b++;
            }
            boolean same = base != null && b < base.players() && base.ids()[b] == id
                    && base.xs()[b] == current.xs()[i] && base.ys()[b] == current.ys()[i]
                    && base.scores()[b] == current.scores()[i];
            if (!same) {
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int[] gonePlayers(Snapshot current, Snapshot base) {
        if (base == null) {
            return new int[0];
        }
        int[] out = new int[base.players()];
        int n = 0;
        for (int id : base.ids()) {
            if (current.indexOf(id) < 0) {
                out[n++] = id;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int[] changedCoins(Snapshot current, Snapshot base) {
        int[] out = new int[current.coinXs().length];
        int n = 0;
        for (int c = 0; c < out.length; c++) {
            if (base == null || base.coinXs()[c] != current.coinXs()[c] || base.coinYs()[c] != current.coinYs()[c]) {
                out[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Decodes a binary input frame (kind 0x10, u32 seq, i8 dx, i8 dy, u32 ack); null when it has another shape. */
    public static ParsedInput decodeInput(ByteBuffer frame) {
        if (frame.remaining() != INPUT_BYTES || frame.get(frame.position()) != KIND_INPUT) {
            return null;
        }
        ByteBuffer in = frame.duplicate();
        in.get();
        long seq = Integer.toUnsignedLong(in.getInt());
        int dx = in.get();
        int dy = in.get();
        long ack = Integer.toUnsignedLong(in.getInt());
        return new ParsedInput(seq, dx, dy, ack);
    }

    static final byte KIND_INPUT = 0x10;
    static final int INPUT_BYTES = 11;

    /** One input as read from the wire, before the simulation judges it. */
    public record ParsedInput(long seq, int dx, int dy, long ack) {
    }
}
