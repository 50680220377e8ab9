package io.wschat.websocket;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.tomcat.util.net.SocketReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of the connections added here run on Tomcat's poller thread, the one that waits for every
 * socket, instead of being handed to a request thread.
 *
 * <p>Tomcat's poller hands each socket with data to read to its executor, which wakes a request thread,
 * and the poller then waits for that thread to re-arm the socket. For a closed loop of small messages
 * (echo) that hand-off is most of the server's CPU: reading on the poller measured about half the CPU
 * per round trip (docs/PERFORMANCE.md). But while the poller reads one socket it serves no other, so:
 * <ul>
 * <li>only a connection whose handler never waits may be added (echo: its reply goes to the connection's
 * queue), and a read runs here only while none of our writes to it waits for the socket;</li>
 * <li>Tomcat itself writes while it reads (a blocking pong for a ping, a blocking close frame for a
 * close), which waits only when the socket's buffers are full, for the poller to say there is room: on
 * the poller, which cannot say so while it waits, such a write can only time out, so it gives up after
 * {@link #BLOCKING_SEND_TIMEOUT_MILLIS}, which closes the connection (a peer that pings faster than it
 * reads its pongs is closed once it is a buffer behind);</li>
 * <li>Tomcat reads a socket for as long as it has data, so a peer that keeps sending (a flood of pings,
 * which no handler sees) would keep the poller to itself: a read that takes more than
 * {@link #READ_BUDGET_NANOS} of the poller's CPU is suspended after its current frame by a watchdog
 * thread and finished by a request thread, and after {@link #OVERRUNS_BEFORE_MOVED} such reads that
 * connection is read by the request threads from then on.</li>
 * </ul>
 * Everything else Tomcat hands over goes to the pool, as before.
 */
final class PollerReads implements AutoCloseable {

    /** Long enough for a write the socket has room for (the timeout is counted in whole milliseconds), short enough to stall no one. */
    static final Long BLOCKING_SEND_TIMEOUT_MILLIS = 10L;
    /**
     * The poller's CPU time one read may take: an echo round trip's read takes about 10 µs, a 64 KB message
     * a few hundred. CPU time, not time passed: on a busy machine the poller is sometimes off its core for
     * longer than that, and a read it was in the middle of did nothing wrong.
     */
    static final long READ_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /**
     * A read that overran is finished by a request thread; one overrun may be the JIT's (code not compiled
     * yet, in a server's first seconds), the third says the peer keeps the poller busy.
     */
    static final int OVERRUNS_BEFORE_MOVED = 3;
    private static final long WATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    /** Half a second without a read seen running: an idle server's watchdog does not wake 250 times a second. */
    private static final int QUIET_CHECKS_BEFORE_SLEEP = 125;
    private static final Logger log = LoggerFactory.getLogger(PollerReads.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<ReentrantLock, WebSocketClientConnection> connections = new ConcurrentHashMap<>();
    /** One per poller thread (a server with two connectors has two): the read it is running, if any. */
    private final List<PollerSlot> slots = new CopyOnWriteArrayList<>();
    private final ThreadLocal<PollerSlot> slot = ThreadLocal.withInitial(this::newSlot);
    private final Thread watchdog = new Thread(this::watch, "ws-poller-watchdog");
    private volatile boolean watchdogAsleep;
    private volatile boolean closed;

    PollerReads() {
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** From now on, {@code connection}'s reads may run on the poller. */
    void add(WebSocketClientConnection connection) {
        connections.put(connection.socket(), connection);
    }

    void remove(WebSocketClientConnection connection) {
        connections.remove(connection.socket(), connection);
    }

    /** Runs {@code task} on this thread if it is Tomcat's poller and {@code task} reads an added, idle connection; true if it ran. */
    boolean runHere(Runnable task) {
        if (connections.isEmpty() || !Thread.currentThread().getName().endsWith("-Poller")) {
            return false;
        }
        ReentrantLock socket = SocketReads.socketOf(task);
        WebSocketClientConnection connection = socket == null ? null : connections.get(socket);
        // A request thread still holding the socket (finishing the previous read) would make the poller wait.
        if (connection == null || !connection.isIdle() || !socket.tryLock()) {
            return false;
        }
        PollerSlot here = slot.get();
        Read read = new Read(connection);
        boolean overran;
        try {
            here.read = read;
            if (watchdogAsleep) {
                watchdogAsleep = false;
                LockSupport.unpark(watchdog);
            }
            connection.readWithBlockingSendsBoundedBy(BLOCKING_SEND_TIMEOUT_MILLIS, task);
        } finally {
            here.read = null;
            overran = read.finish();
            socket.unlock();
        }
        if (overran) {
            if (connection.overranOnPoller() >= OVERRUNS_BEFORE_MOVED) {
                connections.remove(socket, connection);
                log.debug("session {}: {} reads took more than {} ms of the poller's CPU each; read by request threads from now on",
                        connection.id(), OVERRUNS_BEFORE_MOVED, TimeUnit.NANOSECONDS.toMillis(READ_BUDGET_NANOS));
            }
            // Resuming hands what is left to read to the request threads.
            connection.resumeReads();
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }

    private PollerSlot newSlot() {
        var created = new PollerSlot();
        slots.add(created);
        return created;
    }

    /** Checks the reads on the pollers every {@link #WATCH_INTERVAL_NANOS}; with none seen for a while it sleeps until one starts. */
    private void watch() {
        int quietChecks = 0;
        while (!closed && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(this, WATCH_INTERVAL_NANOS);
            quietChecks = checkReads() ? 0 : quietChecks + 1;
            if (quietChecks >= QUIET_CHECKS_BEFORE_SLEEP) {
                watchdogAsleep = true;
                // A read that starts from here on sees watchdogAsleep and wakes this thread; one that started before is seen now.
                if (!checkReads()) {
                    LockSupport.park(this);
                }
                watchdogAsleep = false;
                quietChecks = 0;
            }
        }
    }

    /** Suspends every read past its budget; true if any read is running. */
    private boolean checkReads() {
        boolean reading = false;
        for (PollerSlot each : slots) {
            Read read = each.read;
            if (read == null) {
                each.watched = null;
                continue;
            }
            reading = true;
            long cpu = THREADS.getThreadCpuTime(each.threadId);
            if (cpu < 0) {
                cpu = System.nanoTime(); // no CPU clock for threads here: time passed will do
            }
            if (read != each.watched) {
                each.watched = read;
                each.watchedSinceCpu = cpu;
            } else if (cpu - each.watchedSinceCpu > READ_BUDGET_NANOS) {
                read.overrun();
            }
        }
        return reading;
    }

    private static final class PollerSlot {
        final long threadId = Thread.currentThread().getId();
        volatile Read read;
        /** The watchdog's own: the read it saw running at its last check, and the poller's CPU time then. */
        Read watched;
        long watchedSinceCpu;
    }

    /** One read on the poller; the watchdog may suspend it once, and the poller then resumes it elsewhere. */
    private static final class Read {

        private final WebSocketClientConnection connection;
        private boolean finished;
        private boolean suspended;

        Read(WebSocketClientConnection connection) {
            this.connection = connection;
        }

        /** The watchdog's: stops Tomcat's read loop after its current frame, unless the read is over. */
        synchronized void overrun() {
            if (!finished && !suspended) {
                suspended = true;
                connection.suspendReads();
            }
        }

        /** The poller's, once the read returned: true if it was suspended and must be resumed. */
        synchronized boolean finish() {
            finished = true;
            return suspended;
        }
    }
}
