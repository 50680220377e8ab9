package io.wschat.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Fan-out in the hub, with transports that record what reaches them: one member's failure stays its own. */
class RoomHubTests {

    private final ProtocolCodec codec = new ProtocolCodec(JsonMapper.builder().build(), 4000);
    private final RoomHub hub = new RoomHub();

    /** A transport as the core sees it; {@code failing} ones throw on every send, as a broken container might. */
    private static final class Transport implements ClientConnection {

        private final String id;
        private volatile boolean failing;
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<Disconnect> closes = new CopyOnWriteArrayList<>();

        Transport(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public void send(String encodedFrame) {
            if (failing) {
                throw new IllegalStateException("the container refused the frame");
            }
            frames.add(encodedFrame);
        }

        @Override
        public boolean sendLatest(String key, String frame) {
            throw new UnsupportedOperationException("chat delivery never conflates");
        }

        @Override
        public boolean sendLatest(String key, byte[] frame) {
            throw new UnsupportedOperationException("chat delivery never conflates");
        }

        @Override
        public void close(Disconnect reason) {
            closes.add(reason);
        }
    }

    private Transport member(String id, boolean failing) {
        Transport transport = new Transport(id);
        hub.subscribe("room", session(transport));
        transport.failing = failing;
        return transport;
    }

    private static ChatSession session(Transport transport) {
        ChatSession session = new ChatSession(transport, transport.id(), false, null, 10, null);
        session.beginRecovery("room");
        session.endRecovery("{\"type\":\"welcome\"}", 0);
        transport.frames.clear();
        return session;
    }

    private void broadcast(long seq, String text) {
        hub.onBroadcast(codec.broadcast(new ChatMessage("room", seq, "x", "X", text, 1, null, null)));
    }

    @Test
    void membersWhoLeaveGetNothingMoreAndTheOthersStillGetEverything() {
        List<Transport> transports = List.of(new Transport("a"), new Transport("b"), new Transport("c"), new Transport("d"));
        List<ChatSession> sessions = transports.stream().map(RoomHubTests::session).toList();

        assertThat(hub.subscribe("room", sessions.get(0))).as("the room's first member here").isTrue();
        assertThat(sessions.subList(1, 4)).allSatisfy(s -> assertThat(hub.subscribe("room", s)).isFalse());
        assertThat(hub.subscribe("room", sessions.get(2))).as("a member who is in already").isFalse();
        assertThat(hub.localMembers()).isEqualTo(4);
        broadcast(1, "all four");

        assertThat(hub.unsubscribe("room", sessions.get(1))).isFalse();
        assertThat(hub.unsubscribe("room", sessions.get(1))).as("one who left already").isFalse();
        broadcast(2, "without b");
        assertThat(hub.unsubscribe("room", sessions.get(0))).isFalse();
        assertThat(hub.unsubscribe("room", sessions.get(3))).isFalse();
        broadcast(3, "c alone");

        assertThat(transports.get(0).frames).hasSize(2);
        assertThat(transports.get(1).frames).singleElement().asString().contains("all four");
        assertThat(transports.get(2).frames).hasSize(3).last().asString().contains("c alone");
        assertThat(transports.get(3).frames).hasSize(2).last().asString().contains("without b");
        assertThat(hub.deliveries()).isEqualTo(4 + 3 + 1);
        assertThat(hub.unsubscribe("room", sessions.get(2))).as("the room's last member here").isTrue();
        assertThat(hub.hasRoom("room")).isFalse();
        assertThat(hub.localMembers()).isZero();
    }

    @Test
    void aMemberWhoseSendFailsIsClosedAloneAndTheOthersStillGetTheEvent() {
        Transport first = member("first", false);
        Transport broken = member("broken", true);
        Transport last = member("last", false);

        hub.onBroadcast(codec.broadcast(new ChatMessage("room", 1, "x", "X", "hello", 1, null, null)));

        assertThat(first.frames).singleElement().asString().contains("\"hello\"");
        assertThat(last.frames).singleElement().asString().contains("\"hello\"");
        assertThat(broken.closes).containsExactly(Disconnect.SERVER_ERROR);
        assertThat(first.closes).isEmpty();
        assertThat(last.closes).isEmpty();
        assertThat(hub.droppedDeliveries()).isEqualTo(1);
    }

    @Test
    void aStoredMessageWithAnUnpairedSurrogateIsEncodedOnceWithAReplacementCharacter() {
        Transport first = member("first", false);
        Transport second = member("second", false);

        hub.onBroadcast(codec.broadcast(new ChatMessage("room", 1, "x", "X", "half \uD83D", 1, null, null)));

        assertThat(first.frames).singleElement().asString().contains("half \uFFFD");
        assertThat(second.frames).singleElement().isSameAs(first.frames.get(0));
    }
}
