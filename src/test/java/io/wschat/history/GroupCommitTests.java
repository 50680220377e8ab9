package io.wschat.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore.Appended;
import io.wschat.chat.NewMessage;
import io.wschat.chat.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The group-commit writer on its own, with a batch store that the test holds up at will (the
 * database behind it is exercised by the store contract and the fault suite).
 */
class GroupCommitTests {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile RuntimeException failFirstBatchWith;
    private GroupCommit writer;

    /** Stores by echoing; the first batch waits for {@link #release}, so later appends gather behind it. */
    private List<Appended> store(List<NewMessage> batch) {
        batches.add(batch.stream().map(NewMessage::text).toList());
        if (batches.size() == 1) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failFirstBatchWith != null) {
                throw failFirstBatchWith;
            }
        }
        if (batch.stream().anyMatch(m -> m.text().equals("bad"))) {
            throw new IllegalArgumentException("the database refuses 'bad'");
        }
        return stored(batch);
    }

    private static List<Appended> stored(List<NewMessage> batch) {
        return batch.stream().map(m -> new Appended(new ChatMessage(m.room(), 0, m.fromId(), m.from(), m.text(), 0, m.cid(), null), false)).toList();
    }

    @AfterEach
    void stop() {
        release.countDown();
        writer.close();
        callers.shutdownNow();
    }

    private Future<Appended> appendAsync(String text) {
        return callers.submit(() -> writer.append(new NewMessage("r", "id", "A", text, null, null)));
    }

    /** Starts an append that the writer takes as its first batch and holds until {@link #release}. */
    private Future<Appended> holdWriter() {
        Future<Appended> held = appendAsync("held");
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
        return held;
    }

    /** Starts an append and waits until it is queued behind the held batch, so queue order is the call order. */
    private Future<Appended> queue(String text) {
        int before = writer.waiting();
        Future<Appended> future = appendAsync(text);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.waiting() == before + 1);
        return future;
    }

    @Test
    void shouldStoreWhatGatheredMeanwhileInOneBatchAndAnswerEachCallerWithItsOwnMessage() throws Exception {
        writer = new GroupCommit(this::store, 100, 50, Duration.ofSeconds(30));
        Future<Appended> first = holdWriter();
        List<Future<Appended>> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            others.add(queue("m" + i));
        }
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).message().text()).isEqualTo("held");
        for (int i = 0; i < 10; i++) {
            assertThat(others.get(i).get(10, TimeUnit.SECONDS).message().text()).isEqualTo("m" + i);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).as("one transaction for everything that waited").hasSize(10);
    }

    @Test
    void shouldRefuseAtOnceWhenTheQueueIsFull() throws Exception {
        writer = new GroupCommit(this::store, 2, 50, Duration.ofSeconds(30));
        holdWriter();
        queue("queued 1");
        queue("queued 2");
        assertThatThrownBy(() -> writer.append(new NewMessage("r", "id", "A", "one too many", null, null)))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("2 appends waiting");
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 2);
        assertThat(batches.get(1)).containsExactly("queued 1", "queued 2");
    }

    @Test
    void shouldRefuseEverythingWaitingWhenTheDatabaseIsUnreachable() throws Exception {
        writer = new GroupCommit(this::store, 100, 50, Duration.ofSeconds(30));
        failFirstBatchWith = new StoreUnavailableException("connection refused", null);
        Future<Appended> held = holdWriter();
        List<Future<Appended>> waiting = List.of(queue("w1"), queue("w2"), queue("w3"));
        release.countDown();
        for (Future<Appended> future : List.of(held, waiting.get(0), waiting.get(1), waiting.get(2))) {
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreUnavailableException.class);
        }
        assertThat(batches).as("the waiting ones are refused without another database wait each").hasSize(1);
    }

    @Test
    void shouldStoreAnAppendMadeAfterItsCallerHeardThatTheLastOneWasRefused() {
        // A database that is unavailable for every batch of "refused" and fine for the rest: the
        // next append, made as soon as the refusal arrived, must be tried, not refused with it.
        writer = new GroupCommit(batch -> {
            if (batch.get(0).text().startsWith("refused")) {
                throw new StoreUnavailableException("database is locked", null);
            }
            return stored(batch);
        }, 100, 50, Duration.ofSeconds(30));
        for (int i = 0; i < 2_000; i++) {
            String refused = "refused " + i;
            assertThatThrownBy(() -> writer.append(new NewMessage("r", "id", "A", refused, null, null)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(writer.append(new NewMessage("r", "id", "A", "next " + i, null, null)).message().text()).isEqualTo("next " + i);
        }
    }

    @Test
    void shouldRefuseWithoutWritingAnAppendThatWaitedTooLong() throws Exception {
        writer = new GroupCommit(this::store, 100, 50, Duration.ofMillis(200));
        holdWriter();
        Future<Appended> stale = queue("stale");
        long queuedBy = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - queuedBy > Duration.ofMillis(300).toNanos());
        release.countDown();
        assertThatThrownBy(() -> stale.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreUnavailableException.class);
        Appended fresh = writer.append(new NewMessage("r", "id", "A", "fresh", null, null));
        assertThat(fresh.message().text()).isEqualTo("fresh");
        assertThat(batches).extracting(b -> b.get(0)).containsExactly("held", "fresh");
    }

    @Test
    void shouldFailOnlyTheMessageTheDatabaseRefusesAndStoreTheRestOfItsBatch() throws Exception {
        writer = new GroupCommit(this::store, 100, 50, Duration.ofSeconds(30));
        holdWriter();
        Future<Appended> before = queue("before");
        Future<Appended> bad = queue("bad");
        Future<Appended> after = queue("after");
        release.countDown();
        assertThat(before.get(10, TimeUnit.SECONDS).message().text()).isEqualTo("before");
        assertThat(after.get(10, TimeUnit.SECONDS).message().text()).isEqualTo("after");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(batches.get(1)).containsExactly("before", "bad", "after");
    }

    @Test
    void shouldRefuseAppendsOnceClosed() {
        writer = new GroupCommit(this::store, 100, 50, Duration.ofSeconds(30));
        release.countDown();
        writer.close();
        assertThatThrownBy(() -> writer.append(new NewMessage("r", "id", "A", "late", null, null)))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
