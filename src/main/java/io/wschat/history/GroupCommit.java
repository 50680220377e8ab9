package io.wschat.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.wschat.chat.MessageStore.Appended;
import io.wschat.chat.NewMessage;
import io.wschat.chat.StoreUnavailableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: appends from every caller wait in one bounded queue; a single writer thread takes
 * whatever has gathered (up to {@code maxBatch}) and stores it with one transaction and one flush to
 * disk, then wakes each caller with its own result. A busy server therefore pays one commit per batch,
 * not per message, and a caller still returns only once its message is durable.
 *
 * <p>Bounded in every direction: a full queue refuses at once, an append that waited longer than
 * {@code maxWait} for its batch to start is refused without being written, and when a batch finds
 * the database unreachable every append already waiting is refused too, rather than each one
 * waiting out its own timeout. A refusal is a {@link StoreUnavailableException} and means nothing
 * was stored. A batch that fails for another reason (one message the database rejects) is retried
 * one message per transaction, so only that message fails.
 */
final class GroupCommit implements AutoCloseable {

    /** Stores a batch in one transaction, results in the batch's order; throws when nothing was stored. */
    interface BatchStore {
        List<Appended> appendAll(List<NewMessage> batch);
    }

    private record Pending(NewMessage message, long enqueuedNanos, CompletableFuture<Appended> result) {
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final BatchStore store;
    private final BlockingQueue<Pending> queue;
    private final int capacity;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Thread writer;
    private volatile boolean running = true;

    GroupCommit(BatchStore store, int capacity, int maxBatch, Duration maxWait) {
        this.store = store;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.writer = new Thread(this::run, "history-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the message and waits until its batch is stored (or refused). */
    Appended append(NewMessage message) {
        if (!running) {
            throw new StoreUnavailableException("the message store is shutting down", null);
        }
        Pending pending = new Pending(message, System.nanoTime(), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new StoreUnavailableException("the message store already has " + capacity + " appends waiting", null);
        }
        try {
            // No deadline here: the writer completes every future within its own bounded waits, and
            // giving up while it may still commit would leave a stored message its sender thinks lost.
            // The periodic look only catches an append queued as the writer was exiting.
            while (true) {
                try {
                    return pending.result().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (!writer.isAlive() && queue.remove(pending)) {
                        throw new StoreUnavailableException("the message store has shut down", null);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the message store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Appends queued and not yet taken by the writer. */
    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after the queue has been drained or its deadline passed
                break;
            } catch (RuntimeException | Error e) {
                // A bug here must not stop the writer, or every later append would wait forever.
                log.error("history writer: unexpected failure", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        refuseWithWaiting(List.of(), new StoreUnavailableException("the message store has shut down", null));
    }

    private void write(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (now - pending.enqueuedNanos() > maxWaitNanos) {
                pending.result().completeExceptionally(new StoreUnavailableException(
                        "the message store did not get to this message within " + Duration.ofNanos(maxWaitNanos), null));
            } else {
                fresh.add(pending);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        try {
            complete(fresh, store.appendAll(fresh.stream().map(Pending::message).toList()));
        } catch (StoreUnavailableException e) {
            log.warn("history writer: {} appends not stored: {}", fresh.size(), e.getMessage());
            refuseWithWaiting(fresh, e);
        } catch (RuntimeException e) {
            if (fresh.size() == 1) {
                fresh.get(0).result().completeExceptionally(e);
            } else {
                oneByOne(fresh);
            }
        }
    }

    /** After a batch failed for a reason of its own: each message in its own transaction, so only the culprit fails. */
    private void oneByOne(List<Pending> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            try {
                complete(List.of(pending), store.appendAll(List.of(pending.message())));
            } catch (StoreUnavailableException e) {
                refuseWithWaiting(batch.subList(i, batch.size()), e);
                return;
            } catch (RuntimeException e) {
                pending.result().completeExceptionally(e);
            }
        }
    }

    private static void complete(List<Pending> batch, List<Appended> results) {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /**
     * Refuses {@code failed} and everything queued behind it: after a failure the database is not
     * worth a second wait. The queue is emptied before any caller hears of the failure, so an append
     * a caller makes once it has heard is tried anew, not refused for a failure that came before it.
     */
    private void refuseWithWaiting(List<Pending> failed, StoreUnavailableException cause) {
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        failed.forEach(p -> p.result().completeExceptionally(cause));
        waiting.forEach(p -> p.result().completeExceptionally(cause));
    }

    /** Refuses new appends, stores what is queued (within {@code timeout}), and stops the writer. */
    void close(Duration timeout) {
        running = false;
        try {
            writer.join(timeout.toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
