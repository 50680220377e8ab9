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
 * for the next hand-over on that thread to run there. Only the first: a message long enough to go out
 * as several fragments hands over the rest as Tomcat does, so no chain of sends grows the stack.
 * Everything else (requests, other writers' sends) goes to the pool as before.
 */
final class SendCompletionExecutor extends StandardThreadExecutor {

    private static final ThreadLocal<boolean[]> RUN_HERE = ThreadLocal.withInitial(() -> new boolean[1]);

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
        } else {
            super.execute(command);
        }
    }
}
