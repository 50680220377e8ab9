package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.Member;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
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
    private final List<ServerEvent> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private RoomSequencer sequencer(Duration reorderWait, int maxHeld) {
        RoomSequencer sequencer = new RoomSequencer(store, scheduler, reorderWait, maxHeld, unrecoverable);
        sequencer.start((room, event) -> delivered.add(event));
        return sequencer;
    }

    private ServerEvent.Message append(String text) {
        return ServerEvent.Message.of(store.append(new NewMessage(ROOM, "id", "Alice", text, null, null)).message());
    }

    private List<Long> deliveredSeqs() {
        return delivered.stream().filter(ServerEvent.Message.class::isInstance)
                .map(e -> ((ServerEvent.Message) e).seq()).toList();
    }

    @Test
    void anEarlyMessageWaitsForItsPredecessorAndBothGoOutInOrder() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        sequencer.open(ROOM);
        ServerEvent.Message first = append("one");
        ServerEvent.Message second = append("two");
        sequencer.accept(ROOM, second);
        assertThat(delivered).isEmpty();
        sequencer.accept(ROOM, first);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void repeatsAndMessagesFromBeforeTheRoomWasOpenedAreDropped() {
        ServerEvent.Message old = append("before anyone here joined");
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        sequencer.open(ROOM);
        ServerEvent.Message fresh = append("after");
        sequencer.accept(ROOM, old);
        sequencer.accept(ROOM, fresh);
        sequencer.accept(ROOM, fresh);
        assertThat(deliveredSeqs()).containsExactly(2L);
    }

    @Test
    void aGapThatDoesNotCloseIsFilledFromTheStoreAfterTheReorderWait() {
        RoomSequencer sequencer = sequencer(Duration.ofMillis(50), 100);
        sequencer.open(ROOM);
        append("never published");
        append("lost too");
        sequencer.accept(ROOM, append("three"));
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredSeqs().size() == 3);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(unrecoverable.count()).isZero();
    }

    @Test
    void tooManyHeldMessagesFillTheGapAtOnce() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(10), 2);
        sequencer.open(ROOM);
        append("missing");
        sequencer.accept(ROOM, append("two"));
        sequencer.accept(ROOM, append("three"));
        sequencer.accept(ROOM, append("four"));
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
        RoomSequencer sequencer = new RoomSequencer(tiny, scheduler, Duration.ofMillis(20), 100, unrecoverable);
        sequencer.start((room, event) -> delivered.add(event));
        sequencer.open(ROOM);
        tiny.append(new NewMessage(ROOM, "id", "Alice", "trimmed away", null, null));
        ChatMessage kept = tiny.append(new NewMessage(ROOM, "id", "Alice", "kept", null, null)).message();
        sequencer.accept(ROOM, ServerEvent.Message.of(kept));
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredSeqs().size() == 1);
        assertThat(deliveredSeqs()).containsExactly(2L);
        assertThat(unrecoverable.count()).isEqualTo(1.0);
    }

    @Test
    void eventsWithoutSeqPassAtOnceAndClosedRoomsGetNothing() {
        RoomSequencer sequencer = sequencer(Duration.ofMinutes(1), 100);
        ServerEvent.Typing typing = new ServerEvent.Typing(ROOM, new Member("id", "Alice"));
        sequencer.accept(ROOM, typing);
        assertThat(delivered).isEmpty();
        sequencer.open(ROOM);
        sequencer.accept(ROOM, typing);
        assertThat(delivered).containsExactly(typing);
        sequencer.close(ROOM);
        sequencer.accept(ROOM, append("after close"));
        assertThat(delivered).containsExactly(typing);
    }
}
