package io.wschat.game;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The state frames byte by byte, as docs/PROTOCOL.md describes them. */
class StateCodecTests {

    @Test
    void shouldEncodeAFullSnapshot() {
        World world = new World(WorldTests.RULES, 5);
        world.join("a");
        world.join("b");
        world.step();
        Snapshot s = world.snapshot();
        StateCodec.Encoded encoded = StateCodec.encode(s, null, true, true);
        ByteBuffer frame = ByteBuffer.wrap(encoded.binaryFor(77));
        assertThat(frame.get()).isEqualTo((byte) 1);
        assertThat(frame.getInt()).isEqualTo(1);
        assertThat(frame.getInt()).isZero();
        assertThat(frame.getInt()).isEqualTo(77);
        assertThat(frame.get()).isZero();
        assertThat(frame.getShort()).isEqualTo((short) 1);
        assertThat(frame.getShort()).isEqualTo((short) (WorldTests.RULES.roundTicks() - 1));
        assertThat(frame.getShort()).isEqualTo((short) 2);
        assertThat(frame.getShort()).isEqualTo((short) 1);
        assertThat(frame.getShort()).isEqualTo((short) s.xs()[0]);
        assertThat(frame.getShort()).isEqualTo((short) s.ys()[0]);
        assertThat(frame.getShort()).isZero();
        frame.position(frame.position() + 8);
        assertThat(frame.getShort()).as("nothing gone in a full snapshot").isZero();
        assertThat(frame.get()).isEqualTo((byte) WorldTests.RULES.coins());
        assertThat(frame.remaining()).isEqualTo(WorldTests.RULES.coins() * 5);
        assertThat(encoded.jsonFor(77)).startsWith("{\"type\":\"state\",\"ack\":77,\"full\":true,\"tick\":1,\"base\":0,");
    }

    @Test
    void shouldSendOnlyWhatChangedSinceTheBase() {
        World world = new World(WorldTests.RULES, 5);
        int mover = world.join("mover");
        int still = world.join("still");
        int leaver = world.join("leaver");
        world.step();
        Snapshot base = world.snapshot();
        world.leave(leaver);
        world.offer(mover, 1, 100, 100);
        world.step();
        StateCodec.Encoded delta = StateCodec.encode(world.snapshot(), base, true, true);
        ByteBuffer frame = ByteBuffer.wrap(delta.binaryFor(1));
        assertThat(frame.get()).isEqualTo((byte) 2);
        assertThat(frame.getInt()).isEqualTo(2);
        assertThat(frame.getInt()).isEqualTo(1);
        frame.position(18);
        assertThat(frame.getShort()).as("only the mover changed").isEqualTo((short) 1);
        assertThat(frame.getShort()).isEqualTo((short) mover);
        frame.position(frame.position() + 6);
        assertThat(frame.getShort()).isEqualTo((short) 1);
        assertThat(frame.getShort()).isEqualTo((short) leaver);
        assertThat(frame.get()).as("no coin moved").isZero();
        assertThat(delta.jsonFor(1)).contains("\"players\":[[" + mover + ",").contains("\"gone\":[" + leaver + "]")
                .doesNotContain("[" + still + ",");
    }

    @Test
    void shouldReadABinaryInputAndRefuseOtherShapes() {
        ByteBuffer input = ByteBuffer.allocate(11).put((byte) 0x10).putInt(-1).put((byte) -100).put((byte) 100).putInt(9).flip();
        assertThat(StateCodec.decodeInput(input)).isEqualTo(new StateCodec.ParsedInput(0xFFFF_FFFFL, -100, 100, 9));
        assertThat(StateCodec.decodeInput(ByteBuffer.wrap(new byte[] {0x10, 1, 2}))).isNull();
        assertThat(StateCodec.decodeInput(ByteBuffer.wrap(new byte[11]))).isNull();
    }
}
