package io.wschat.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link MessageStore} must do. Each implementation's test class extends this and
 * says how to make a fresh, empty store.
 */
abstract class MessageStoreContract {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    protected final MutableClock clock = new MutableClock();
    protected MessageStore store;

    /** A new, empty store using {@code clock}; called before each test. */
    protected abstract MessageStore createStore(Clock clock) throws Exception;

    /** Releases what {@link #createStore} opened. */
    protected void closeStore() throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        store = createStore(clock);
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    static NewMessage message(String room, String text) {
        return new NewMessage(room, "id-1", "Alice", text, null, null);
    }

    static NewMessage message(String room, String text, String cid) {
        return new NewMessage(room, "id-1", "Alice", text, cid, null);
    }

    private ChatMessage append(String room, String text) {
        return store.append(message(room, text)).message();
    }

    private void appendMany(String room, int count) {
        for (int i = 1; i <= count; i++) {
            append(room, "m" + i);
        }
    }

    private static List<Long> seqs(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::seq).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void shouldNumberEachRoomFromOneUpwards() {
        assertThat(append("a", "first").seq()).isEqualTo(1);
        assertThat(append("a", "second").seq()).isEqualTo(2);
        assertThat(append("b", "other room").seq()).isEqualTo(1);
        assertThat(store.lastSeq("a")).isEqualTo(2);
        assertThat(store.lastSeq("b")).isEqualTo(1);
        assertThat(store.lastSeq("never-used")).isZero();
    }

    @Test
    void shouldKeepEveryFieldAsStored() {
        clock.advance(Duration.ofMillis(1234));
        String longText = "é😀\"'\\<b>".repeat(400);
        ChatMessage stored = store.append(new NewMessage("fields", "session-7", "Zoë O'Neil", longText, "cid-1",
                Map.of("kind", "price", "value", 42, "tags", List.of("a", "b")))).message();
        assertThat(stored.ts()).isEqualTo(START.toEpochMilli() + 1234);
        assertThat(store.after("fields", 0, 10)).containsExactly(stored);
        ChatMessage read = store.latest("fields", 1).get(0);
        assertThat(read.room()).isEqualTo("fields");
        assertThat(read.fromId()).isEqualTo("session-7");
        assertThat(read.from()).isEqualTo("Zoë O'Neil");
        assertThat(read.text()).isEqualTo(longText);
        assertThat(read.cid()).isEqualTo("cid-1");
        assertThat(read.data()).containsEntry("kind", "price").containsEntry("value", 42)
                .containsEntry("tags", List.of("a", "b"));
        assertThat(append("fields", "plain").data()).isNull();
        assertThat(store.after("fields", 1, 10).get(0).data()).isNull();
    }

    @Test
    void shouldReadForwardsAfterASequenceOldestFirst() {
        appendMany("r", 10);
        assertThat(seqs(store.after("r", 0, 100))).isEqualTo(range(1, 10));
        assertThat(seqs(store.after("r", 4, 3))).isEqualTo(range(5, 7));
        assertThat(store.after("r", 10, 5)).isEmpty();
        assertThat(store.after("other", 0, 5)).isEmpty();
        assertThat(store.after("r", 4, 3).get(0).text()).isEqualTo("m5");
    }

    @Test
    void shouldReadBackwardsBeforeASequenceOldestFirst() {
        appendMany("r", 10);
        assertThat(seqs(store.before("r", 8, 3))).isEqualTo(range(5, 7));
        assertThat(seqs(store.before("r", 3, 10))).isEqualTo(range(1, 2));
        assertThat(store.before("r", 1, 10)).isEmpty();
        assertThat(seqs(store.latest("r", 4))).isEqualTo(range(7, 10));
        assertThat(store.latest("r", 0)).isEmpty();
        assertThat(store.latest("other", 5)).isEmpty();
    }

    @Test
    void shouldAnswerAResentCidWithTheOriginalAndStoreNothing() {
        MessageStore.Appended first = store.append(message("r", "hello", "c-1"));
        append("r", "in between");
        MessageStore.Appended again = store.append(message("r", "hello (resent)", "c-1"));
        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(store.lastSeq("r")).isEqualTo(2);
        assertThat(store.after("r", 0, 10)).extracting(ChatMessage::text).containsExactly("hello", "in between");
        MessageStore.Appended otherRoom = store.append(message("elsewhere", "hello", "c-1"));
        assertThat(otherRoom.duplicate()).isFalse();
        assertThat(otherRoom.message().seq()).isEqualTo(1);
    }

    @Test
    void shouldForgetCidsOlderThanTheWindowAndNoOthers() {
        store.append(message("r", "old", "c-old"));
        clock.advance(Duration.ofHours(2));
        store.append(message("r", "new", "c-new"));
        assertThat(store.forgetCids(START.plus(Duration.ofHours(1)).toEpochMilli(), 100)).isEqualTo(1);
        MessageStore.Appended oldAgain = store.append(message("r", "old again", "c-old"));
        MessageStore.Appended newAgain = store.append(message("r", "new again", "c-new"));
        assertThat(oldAgain.duplicate()).isFalse();
        assertThat(oldAgain.message().seq()).isEqualTo(3);
        assertThat(newAgain.duplicate()).isTrue();
        assertThat(newAgain.message().seq()).isEqualTo(2);
    }

    @Test
    void shouldPruneBeyondTheNewestCountAndKeepCountingAfterwards() {
        appendMany("r", 10);
        appendMany("untouched", 3);
        assertThat(store.prune("r", 4, 0, 100)).isEqualTo(6);
        assertThat(seqs(store.after("r", 0, 100))).isEqualTo(range(7, 10));
        assertThat(store.prune("r", 4, 0, 100)).isZero();
        assertThat(store.lastSeq("r")).isEqualTo(10);
        assertThat(append("r", "next").seq()).isEqualTo(11);
        assertThat(store.after("untouched", 0, 10)).hasSize(3);
    }

    @Test
    void shouldPruneMessagesOlderThanTheCutOff() {
        appendMany("r", 3);
        clock.advance(Duration.ofMinutes(10));
        appendMany("r", 2);
        long cutOff = START.plus(Duration.ofMinutes(5)).toEpochMilli();
        assertThat(store.prune("r", 1000, cutOff, 100)).isEqualTo(3);
        assertThat(seqs(store.after("r", 0, 100))).isEqualTo(range(4, 5));
    }

    @Test
    void shouldPruneAtMostTheLimitPerCallOldestFirst() {
        appendMany("r", 10);
        assertThat(store.prune("r", 1, 0, 4)).isEqualTo(4);
        assertThat(seqs(store.after("r", 0, 100))).isEqualTo(range(5, 10));
        assertThat(store.prune("r", 1, 0, 4)).isEqualTo(4);
        assertThat(store.prune("r", 1, 0, 4)).isEqualTo(1);
        assertThat(seqs(store.after("r", 0, 100))).containsExactly(10L);
    }

    @Test
    void shouldForgetTheCidOfAPrunedMessage() {
        store.append(message("r", "one", "c-1"));
        appendMany("r", 2);
        store.prune("r", 2, 0, 100);
        MessageStore.Appended again = store.append(message("r", "one again", "c-1"));
        assertThat(again.duplicate()).isFalse();
        assertThat(again.message().seq()).isEqualTo(4);
    }

    @Test
    void shouldListRoomsByNamePageByPage() {
        for (String room : List.of("delta", "alpha", "charlie", "bravo")) {
            append(room, "hi");
        }
        append("charlie", "again");
        assertThat(store.rooms("", 2)).containsExactly(new MessageStore.RoomSeq("alpha", 1), new MessageStore.RoomSeq("bravo", 1));
        assertThat(store.rooms("bravo", 10)).containsExactly(new MessageStore.RoomSeq("charlie", 2), new MessageStore.RoomSeq("delta", 1));
        assertThat(store.rooms("delta", 10)).isEmpty();
    }

    @Test
    void shouldAssignAGapFreeSequenceToConcurrentAppenders() throws Exception {
        int threads = 4;
        int each = 25;
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(threads, t -> () -> {
            for (int i = 0; i < each; i++) {
                seqs.add(store.append(message("busy", "t" + t + "-" + i)).message().seq());
            }
            return null;
        });
        assertThat(seqs).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(seqs(store.after("busy", 0, 1000))).isEqualTo(range(1, threads * each));
        assertThat(store.lastSeq("busy")).isEqualTo(threads * each);
    }

    @Test
    void shouldStoreAConcurrentlyResentCidOnce() throws Exception {
        int threads = 4;
        List<MessageStore.Appended> results = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(threads, t -> () -> {
            for (int i = 0; i < 10; i++) {
                results.add(store.append(message("resend", "text " + i, "cid-" + i)));
            }
            return null;
        });
        assertThat(results).hasSize(threads * 10);
        assertThat(results.stream().filter(r -> !r.duplicate())).hasSize(10);
        assertThat(store.after("resend", 0, 100)).extracting(ChatMessage::cid).doesNotHaveDuplicates().hasSize(10);
        assertThat(store.lastSeq("resend")).isEqualTo(10);
    }

    @Test
    void shouldNeverAnswerACidWithAnotherSendersMessage() {
        MessageStore.Appended alice = store.append(new NewMessage("r", "conn-1", "Alice", "from Alice", "c-1", null, "client:alice"));
        MessageStore.Appended bob = store.append(new NewMessage("r", "conn-2", "Bob", "from Bob", "c-1", null, "client:bob"));
        MessageStore.Appended aliceAgain = store.append(new NewMessage("r", "conn-3", "Alice", "resent", "c-1", null, "client:alice"));
        assertThat(bob.duplicate()).as("the same cid from another sender is a new message").isFalse();
        assertThat(bob.message().text()).isEqualTo("from Bob");
        assertThat(bob.message().seq()).isEqualTo(2);
        assertThat(aliceAgain.duplicate()).as("the same sender on a new connection is recognised").isTrue();
        assertThat(aliceAgain.message()).isEqualTo(alice.message());
        assertThat(store.after("r", 0, 10)).extracting(ChatMessage::text).containsExactly("from Alice", "from Bob");
    }

    @Test
    void shouldNumberConcurrentAppendsToSeveralRoomsOnceEachAndWithoutGaps() throws Exception {
        int threads = 8;
        int each = 40;
        List<String> rooms = List.of("r0", "r1", "r2");
        Map<String, List<Long>> seqsByRoom = new java.util.concurrent.ConcurrentHashMap<>();
        runConcurrently(threads, t -> () -> {
            for (int i = 0; i < each; i++) {
                String room = rooms.get((t + i) % rooms.size());
                ChatMessage stored = store.append(new NewMessage(room, "conn-" + t, "T" + t, "t" + t + "-" + i,
                        "c-" + i, null, "client:" + t)).message();
                assertThat(stored.room()).isEqualTo(room);
                assertThat(stored.text()).isEqualTo("t" + t + "-" + i);
                seqsByRoom.computeIfAbsent(room, r -> Collections.synchronizedList(new ArrayList<>())).add(stored.seq());
            }
            return null;
        });
        int total = 0;
        for (String room : rooms) {
            List<Long> assigned = seqsByRoom.get(room);
            total += assigned.size();
            assertThat(assigned).as("room %s: every seq handed out once", room).doesNotHaveDuplicates();
            assertThat(seqs(store.after(room, 0, 1000))).as("room %s: gap-free from 1", room)
                    .isEqualTo(range(1, assigned.size()));
            assertThat(assigned).containsExactlyInAnyOrderElementsOf(range(1, assigned.size()));
            assertThat(store.lastSeq(room)).isEqualTo(assigned.size());
        }
        assertThat(total).isEqualTo(threads * each);
    }

    interface TaskFactory {
        Callable<Void> task(int thread);
    }

    static void runConcurrently(int threads, TaskFactory factory) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(factory.task(t)));
            }
            for (Future<Void> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
