package io.wschat.websocket;

import org.apache.catalina.core.StandardThreadExecutor;

/**
 * Tomcat's request executor with one difference: the completion of an asynchronous WebSocket send
 * that finished at once runs on the thread that sent it, instead of waking another thread for it.
 *
 * <p>Tomcat hands every completed asynchronous send to its executor, also when the write completed
 * inside the call (so that a {@code SendHandler} that sends again cannot recurse without bound). In a
 * fan-out that is a thread woken per delivery, which the profile showed as two thirds of the CPU a
 * delivery costs (docs/PERFORMANCE.md). Our connection's writer takes a completion on the sending
 * thread in its stride (its pump loops instead of recursing), so around each of its sends it asks
 * for the next hand-over on that thread to run there. Only the first: anything more handed over
 * during that send goes to the pool as Tomcat intends, so no chain of sends grows the stack, and so
 * does everything else (requests, a write that had to wait for the socket, other writers' sends).
 *
 * <p>The one other exception: a read the poller hands over for a connection of {@link PollerReads} runs
 * on the poller.
 */
final class SendCompletionExecutor extends StandardThreadExecutor {

    private static final ThreadLocal<boolean[]> RUN_HERE = ThreadLocal.withInitial(() -> new boolean[1]);

    private final PollerReads pollerReads;

    SendCompletionExecutor(PollerReads pollerReads) {
        this.pollerReads = pollerReads;
    }

    /** The next task handed to the executor on this thread, until {@link #sent()}, runs on this thread. */
    static void sending() {
        RUN_HERE.get()[0] = true;
    }

    /** Ends {@link #sending()}: a task handed over after this goes to the pool. */
    static void sent() {
        RUN_HERE.get()[0] = false;
    }

    @Override
    public void execute(Runnable command) {
        boolean[] runHere = RUN_HERE.get();
        if (runHere[0]) {
            runHere[0] = false;
            command.run();
        } else if (!pollerReads.runHere(command)) {
            super.execute(command);
        }
    }
}
