package io.wschat.game;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The messages between a game's owner and its mirrors (docs/SCALING.md, "Games across
 * instances"), big-endian, the first byte saying which. Only instances of the same build read
 * them; clients never see them. A state is encoded once per tick for every mirror; each mirror
 * then encodes its players' frames exactly as the owner does for its own.
 */
final class RelayCodec {

    /** Owner to mirrors. */
    static final byte STATE = 1;
    static final byte FRAME = 2;
    static final byte WELCOME = 3;
    static final byte FULL = 4;
    static final byte REFUSED = 5;
    /** Mirror to owner. */
    static final byte JOIN = 16;
    static final byte INPUT = 17;
    static final byte LEAVE = 18;

    private RelayCodec() {
    }

    /** The whole state after one tick, with each player's last applied input (mirrors acknowledge their own players' from it). */
    static byte[] state(Snapshot s, long[] lastApplied) {
        int n = s.players();
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + 2 + 1 + 2 + 2 + n * 12 + 1 + s.coinXs().length * 4);
        out.put(STATE).putInt(s.tick()).putShort((short) s.round()).put((byte) (s.intermission() ? 1 : 0))
                .putShort((short) s.ticksLeft()).putShort((short) n);
        for (int i = 0; i < n; i++) {
            out.putShort((short) s.ids()[i]).putShort((short) s.xs()[i]).putShort((short) s.ys()[i])
                    .putShort((short) s.scores()[i]).putInt((int) lastApplied[i]);
        }
        out.put((byte) s.coinXs().length);
        for (int c = 0; c < s.coinXs().length; c++) {
            out.putShort((short) s.coinXs()[c]).putShort((short) s.coinYs()[c]);
        }
        return out.array();
    }

    /** A decoded {@link #STATE}: the snapshot, and the last applied input of the player at each index. */
    record State(Snapshot snapshot, long[] lastApplied) {
    }

    static State readState(ByteBuffer in) {
        int tick = in.getInt();
        int round = Short.toUnsignedInt(in.getShort());
        boolean intermission = in.get() != 0;
        int ticksLeft = Short.toUnsignedInt(in.getShort());
        int n = Short.toUnsignedInt(in.getShort());
        int[] ids = new int[n];
        int[] xs = new int[n];
        int[] ys = new int[n];
        int[] scores = new int[n];
        long[] applied = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Short.toUnsignedInt(in.getShort());
            xs[i] = Short.toUnsignedInt(in.getShort());
            ys[i] = Short.toUnsignedInt(in.getShort());
            scores[i] = Short.toUnsignedInt(in.getShort());
            applied[i] = Integer.toUnsignedLong(in.getInt());
        }
        int coins = Byte.toUnsignedInt(in.get());
        int[] coinXs = new int[coins];
        int[] coinYs = new int[coins];
        for (int c = 0; c < coins; c++) {
            coinXs[c] = Short.toUnsignedInt(in.getShort());
            coinYs[c] = Short.toUnsignedInt(in.getShort());
        }
        return new State(new Snapshot(tick, round, intermission, ticksLeft, ids, xs, ys, scores, coinXs, coinYs), applied);
    }

    /** A JSON event frame (joined, left, round) for every player of every mirror, sent as the owner encoded it. */
    static byte[] frame(String json) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + text.length).put(FRAME).put(text).array();
    }

    /** The answer to a {@link #JOIN}: the player's id and its {@code game.welcome} frame. */
    static byte[] welcome(String instance, int token, int id, String json) {
        byte[] name = instance.getBytes(StandardCharsets.UTF_8);
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + name.length + 4 + 2 + text.length)
                .put(WELCOME).putShort((short) name.length).put(name).putInt(token).putShort((short) id).put(text).array();
    }

    /** The answer to a {@link #JOIN} when the game has no room. */
    static byte[] full(String instance, int token) {
        byte[] name = instance.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + name.length + 4).put(FULL).putShort((short) name.length).put(name).putInt(token).array();
    }

    /** The owner refused an input of player {@code id}; its mirror answers the client. */
    static byte[] refused(int id, InputVerdict verdict) {
        return ByteBuffer.allocate(1 + 2 + 1).put(REFUSED).putShort((short) id).put((byte) verdict.ordinal()).array();
    }

    /** A player of instance {@code instance} asks to join; {@code token} matches the answer to it. */
    static byte[] join(String instance, int token, boolean binary, String playerName) {
        byte[] name = instance.getBytes(StandardCharsets.UTF_8);
        byte[] player = playerName.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + name.length + 4 + 1 + player.length)
                .put(JOIN).putShort((short) name.length).put(name).putInt(token).put((byte) (binary ? 1 : 0)).put(player).array();
    }

    /** One input of player {@code id} as its connection sent it (a {@code player} it named was checked by its mirror). */
    static byte[] input(int id, StateCodec.ParsedInput input) {
        return ByteBuffer.allocate(1 + 2 + 8 + 4 + 4 + 8).put(INPUT).putShort((short) id)
                .putLong(input.seq()).putInt(input.dx()).putInt(input.dy()).putLong(input.ack()).array();
    }

    static byte[] leave(int id) {
        return ByteBuffer.allocate(3).put(LEAVE).putShort((short) id).array();
    }

    static String string(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String rest(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static StateCodec.ParsedInput readInput(ByteBuffer in) {
        long seq = in.getLong();
        int dx = in.getInt();
        int dy = in.getInt();
        long ack = in.getLong();
        return new StateCodec.ParsedInput(seq, dx, dy, ack);
    }
}
