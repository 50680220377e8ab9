package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.Broadcast;
import io.wschat.chat.ChatMessage;
import io.wschat.chat.Member;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.chat.ProtocolCodec;
import io.wschat.chat.ServerEvent;
import io.wschat.history.InMemoryMessageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoomSequencerTests {

    private static final String ROOM = "r";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MessageStore store = new InMemoryMessageStore(100, Clock.systemUTC());
    private final Counter unrecoverable = new SimpleMeterRegistry().counter("unrecoverable");
    private final ProtocolCodec codec = new ProtocolCodec(JsonMapper.builder().build(), 1000);
    private final List<Broadcast> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private RoomSequencer sequencer(Duration reorderWait, int maxHeld) {
        RoomSequencer sequencer = new RoomSequencer(store, codec, scheduler, reorderWait, maxHeld, unrecoverable);
        sequencer.start(delivered::add);
        return sequencer;
    }

    private Broadcast append(String text) {
        return codec.broadcast(store.append(new NewMessage(ROOM, "id", "Alice", text, null, null)).message());
    }

    private List<Long> deliveredSeqs() {
        return delivered.stream().filter(Broadcast::sequenced).map(Broadcast::seq).toList();
    }

    @Test
    void anEarlyMessageWaitsForItsPredecessorAndBothGoOutInOrder() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        sequencer.open(ROOM);
        Broadcast first = append("one");
        Broadcast second = append("two");
        sequencer.accept(second);
        assertThat(delivered).isEmpty();
        sequencer.accept(first);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void repeatsAndMessagesFromBeforeTheRoomWasOpenedAreDropped() {
        Broadcast old = append("before anyone here joined");
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        sequencer.open(ROOM);
        Broadcast fresh = append("after");
        sequencer.accept(old);
        sequencer.accept(fresh);
        sequencer.accept(fresh);
        assertThat(deliveredSeqs()).containsExactly(2L);
    }

    @Test
    void aGapThatDoesNotCloseIsFilledFromTheStoreAfterTheReorderWait() {
        RoomSequencer sequencer = sequencer(Duration.ofMillis(50), 100);
        sequencer.open(ROOM);
        append("never published");
        append("lost too");
        sequencer.accept(append("three"));
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredSeqs().size() == 3);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(unrecoverable.count()).isZero();
    }

    @Test
    void tooManyHeldMessagesFillTheGapAtOnce() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(10), 2);
        sequencer.open(ROOM);
        append("missing");
        sequencer.accept(append("two"));
        sequencer.accept(append("three"));
        sequencer.accept(append("four"));
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredSeqs().size() == 4);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void catchUpDeliversWhatWasStoredButNeverReceived() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        sequencer.open(ROOM);
        append("stored during an outage");
        append("and another");
        sequencer.catchUpAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredSeqs().size() == 2);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void messagesTheStoreNoLongerHasAreSkippedAndCountedRatherThanStallingTheRoom() {
        MessageStore tiny = new InMemoryMessageStore(1, Clock.systemUTC());
        RoomSequencer sequencer = new RoomSequencer(tiny, codec, scheduler, Duration.ofMillis(20), 100, unrecoverable);
        sequencer.start(delivered::add);
        sequencer.open(ROOM);
        tiny.append(new NewMessage(ROOM, "id", "Alice", "trimmed away", null, null));
        ChatMessage kept = tiny.append(new NewMessage(ROOM, "id", "Alice", "kept", null, null)).message();
        sequencer.accept(codec.broadcast(kept));
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredSeqs().size() == 1);
        assertThat(deliveredSeqs()).containsExactly(2L);
        assertThat(unrecoverable.count()).isEqualTo(1.0);
    }

    @Test
    void eventsWithoutSeqPassAtOnceAndClosedRoomsGetNothing() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        Broadcast typing = new Broadcast(ROOM, 0, codec.encode(new ServerEvent.Typing(ROOM, new Member("id", "Alice"))));
        sequencer.accept(typing);
        assertThat(delivered).isEmpty();
        sequencer.open(ROOM);
        sequencer.accept(typing);
        assertThat(delivered).containsExactly(typing);
        sequencer.close(ROOM);
        sequencer.accept(append("after close"));
        assertThat(delivered).containsExactly(typing);
    }
}
