package io.wschat.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Disconnect;
import io.wschat.chat.Rejections;
import io.wschat.chat.SharedFrame;

import org.apache.tomcat.websocket.PreEncodedText;
import org.apache.tomcat.websocket.SessionSockets;
import org.apache.tomcat.websocket.WsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A WebSocket session as a {@link ClientConnection}: a bounded outbound queue drained by
 * the container's asynchronous sends, one frame in flight at a time (a session must never
 * be written from two threads at once).
 *
 * <p>Callers never block on the network. A client that lets its queue exceed the buffer
 * limit, or one whose frame does not reach it within the send time limit (checked by
 * {@link SendTimeLimit}'s sweep), is closed with 4000 "slow consumer"; closing runs on a separate
 * executor because a close handshake with a stuck peer can itself block.
 *
 * <p>Heartbeat pings go through the same writer: {@link #ping} only asks for one, and it is
 * written when no text frame is in flight, before the next queued one. JSR-356 has no
 * asynchronous ping, so the ping is a blocking write, but it is a few bytes written right
 * after the previous frame left, bounded by the close timeout when the peer has stopped reading.
 */
final class WebSocketClientConnection implements ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(WebSocketClientConnection.class);
    private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final ByteBuffer PING_PAYLOAD = ByteBuffer.wrap(new byte[] {'h', 'b'}).asReadOnlyBuffer();

    private final WebSocketSession session;
    private final RemoteEndpoint.Async remote;
    private final WsSession containerSession;
    private final Map<String, Object> containerProperties;
    private final Long closeTimeoutMillis;
    private final long bufferLimit;
    private final int maxTextMessage;
    private final Executor closer;
    private final Rejections rejections;
    private final String remoteAddress;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final SendHandler onSent = this::onSent;

    private final Object lock = new Object();
    /** Text frames, this connection's own or shared with others, each encoded once. */
    private final Queue<SharedFrame> queue = new ArrayDeque<>();
    /** Latest-value slots ({@link #sendLatest}): at most one unsent frame per key, a text {@link SharedFrame} or a byte[]. */
    private final Map<String, Object> latest = new LinkedHashMap<>();
    private long queuedChars;
    private boolean inFlight;
    /** {@link System#nanoTime} when the frame in flight was handed to the container. */
    private long inFlightSince;
    private boolean pingWanted;
    private boolean closing;
    /** Set when the connection should close once everything queued has been sent. */
    private Disconnect closeWhenDrained;
    /** The thread inside {@link #pump}; a send completing on that same thread lets the loop go on instead of recursing. */
    private volatile Thread pumpingThread;
    /**
     * The parts of an incoming text message read so far: null between messages, so an idle
     * connection holds no buffer for one (the container reads into small buffers and hands over parts).
     */
    private StringBuilder partialText;
    /** The rest of an oversized message is skipped while its close is under way. */
    private boolean discardingText;
    /** Reads that overran their budget on Tomcat's poller ({@link PollerReads}); only the poller counts them. */
    private int pollerOverruns;
    /** {@link System#nanoTime} when the peer last sent anything: a message or a pong. */
    private volatile long lastHeard = System.nanoTime();

    WebSocketClientConnection(WebSocketSession session, long bufferLimit, int maxTextMessage, long closeTimeoutMillis,
                              Executor closer, Rejections rejections) {
        this.session = session;
        jakarta.websocket.Session nativeSession = ((NativeWebSocketSession) session).getNativeSession(jakarta.websocket.Session.class);
        this.remote = nativeSession.getAsyncRemote();
        if (!PreEncodedText.supports(remote)) {
            throw new IllegalStateException("the server's WebSocket connections need Tomcat's WebSocket implementation, not "
                    + remote.getClass().getName());
        }
        // Bounds how long a close frame or a ping to a stuck peer may block before the socket is simply dropped.
        this.containerSession = (WsSession) nativeSession;
        this.containerProperties = nativeSession.getUserProperties();
        this.closeTimeoutMillis = closeTimeoutMillis;
        containerProperties.put(BLOCKING_SEND_TIMEOUT, this.closeTimeoutMillis);
        this.bufferLimit = bufferLimit;
        this.maxTextMessage = maxTextMessage;
        this.closer = closer;
        this.rejections = rejections;
        this.remoteAddress = session.getRemoteAddress() == null ? "unknown" : session.getRemoteAddress().getAddress().getHostAddress();
    }

    /** The lock Tomcat holds while it processes this connection's socket, which stands for that socket. */
    ReentrantLock socket() {
        return SessionSockets.socketOf(remote);
    }

    /** Nothing queued, in flight, wanted or closing: no write of ours is waiting for the socket. */
    boolean isIdle() {
        synchronized (lock) {
            return !inFlight && !pingWanted && !closing && closeWhenDrained == null && queue.isEmpty() && latest.isEmpty();
        }
    }

    /**
     * Runs {@code read}, in which Tomcat's own blocking writes for this connection (its answer to a ping
     * or a close, the close of a protocol error) give up after {@code blockingSendTimeoutMillis} instead
     * of the close timeout. A write that times out closes the connection.
     */
    void readWithBlockingSendsBoundedBy(Long blockingSendTimeoutMillis, Runnable read) {
        containerProperties.put(BLOCKING_SEND_TIMEOUT, blockingSendTimeoutMillis);
        try {
            read.run();
        } finally {
            containerProperties.put(BLOCKING_SEND_TIMEOUT, closeTimeoutMillis);
        }
    }

    /** Counts one more read of this connection that overran its budget on the poller; returns how many have. */
    int overranOnPoller() {
        return ++pollerOverruns;
    }

    /** Tomcat stops reading this connection after the frame it is reading, until {@link #resumeReads}. */
    void suspendReads() {
        containerSession.suspend();
    }

    void resumeReads() {
        containerSession.resume();
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public String clientKey() {
        Object key = session.getAttributes().get(ChatHandshakeInterceptor.CLIENT_KEY);
        return key instanceof String k ? k : ClientConnection.super.clientKey();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void send(String frame) {
        send(new SharedFrame(frame));
    }

    @Override
    public void send(SharedFrame frame) {
        int chars = frame.text().length();
        boolean overflow = false;
        synchronized (lock) {
            if (closing || closeWhenDrained != null) {
                return;
            }
            if (queuedChars + chars > bufferLimit) {
                overflow = true;
            } else {
                queue.add(frame);
                queuedChars += chars;
            }
        }
        if (overflow) {
            closeAsSlowConsumer();
            return;
        }
        pump();
    }

    @Override
    public boolean sendLatest(String key, String frame) {
        return putLatest(key, new SharedFrame(frame));
    }

    @Override
    public boolean sendLatest(String key, byte[] frame) {
        return putLatest(key, frame);
    }

    /** One slot per key, outside the buffer limit: a slot never holds more than one frame, so it cannot grow. */
    private boolean putLatest(String key, Object frame) {
        boolean replaced;
        synchronized (lock) {
            if (closing || closeWhenDrained != null) {
                return false;
            }
            replaced = latest.put(key, frame) != null;
        }
        pump();
        return replaced;
    }

    @Override
    public void close(Disconnect reason) {
        startClosing(reason);
    }

    /**
     * Adds one part of an incoming text message (the container calls its reader for one session
     * on one thread at a time). Returns the whole message once its last part has arrived; null while
     * more is to come, or when the message outgrew {@code chat.max-frame-size}: that closes the
     * connection with 1009, as the container itself would for a message it had to buffer whole.
     */
    String assembleText(String part, boolean last) {
        if (discardingText) {
            discardingText = !last;
            return null;
        }
        if (partialText == null && last) {
            return tooBig(part.length()) ? null : part;
        }
        int length = (partialText == null ? 0 : partialText.length()) + part.length();
        if (tooBig(length)) {
            partialText = null;
            discardingText = !last;
            return null;
        }
        if (partialText == null) {
            partialText = new StringBuilder(Math.min(maxTextMessage, Math.max(part.length() * 4, 256)));
        }
        partialText.append(part);
        if (!last) {
            return null;
        }
        String whole = partialText.toString();
        partialText = null;
        return whole;
    }

    private boolean tooBig(int length) {
        if (length <= maxTextMessage) {
            return false;
        }
        refuse(Disconnect.TOO_BIG, "message_too_big");
        return true;
    }

    /** Closes with {@code reason} and reports the rejection, once however many frames repeat the offence. */
    void refuse(Disconnect reason, String rejection) {
        if (startClosing(reason)) {
            rejections.reject(id(), remoteAddress, rejection);
        }
    }

    /** The peer showed it is alive: it sent a message or answered a ping. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /** Closes the connection if the peer has been silent for longer than the timeout; true if it did so now. */
    boolean closeIfSilentFor(long timeoutNanos) {
        return System.nanoTime() - lastHeard > timeoutNanos && startClosing(Disconnect.IDLE_TIMEOUT);
    }

    /**
     * Closes the connection as a slow consumer if the frame in flight has not reached the peer
     * within {@code limitNanos}; true if it did so now.
     */
    boolean closeIfSendingLongerThan(long limitNanos) {
        synchronized (lock) {
            if (!inFlight || System.nanoTime() - inFlightSince <= limitNanos) {
                return false;
            }
        }
        return closeAsSlowConsumer();
    }

    /** Asks for a heartbeat ping, written as soon as no frame is in flight. */
    void ping() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            pingWanted = true;
        }
        pump();
    }

    @Override
    public void closeWhenDrained(Disconnect reason) {
        closeOnceDrained(reason);
    }

    /** Accepts no more frames, sends what is queued, then closes with {@code reason}; true if this call asked for it. */
    boolean closeOnceDrained(Disconnect reason) {
        synchronized (lock) {
            if (closing || closeWhenDrained != null) {
                return false;
            }
            closeWhenDrained = reason;
        }
        pump();
        return true;
    }

    /** Completes when the container reports the connection closed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    void onClosed() {
        closed.complete(null);
    }

    /** Starts a close with the given status unless one has begun; true if this call started it. */
    private boolean startClosing(Disconnect reason) {
        synchronized (lock) {
            if (closing) {
                return false;
            }
            closing = true;
            queue.clear();
            queuedChars = 0;
            latest.clear();
        }
        closer.execute(() -> {
            try {
                session.close(new CloseStatus(reason.code(), reason.reason()));
            } catch (IOException | RuntimeException e) {
                log.debug("session {}: close failed: {}", id(), e.toString());
            }
        });
        return true;
    }

    private boolean closeAsSlowConsumer() {
        if (!startClosing(Disconnect.SLOW_CONSUMER)) {
            return false;
        }
        rejections.reject(id(), remoteAddress, "slow_consumer");
        return true;
    }

    private void pump() {
        Thread current = Thread.currentThread();
        if (pumpingThread == current) {
            return;
        }
        pumpingThread = current;
        try {
            while (true) {
                Object next = null;
                boolean sendPing = false;
                Disconnect drained = null;
                synchronized (lock) {
                    if (inFlight || closing) {
                        return;
                    }
                    if (pingWanted) {
                        pingWanted = false;
                        sendPing = true;
                    } else if (!queue.isEmpty()) {
                        SharedFrame text = queue.poll();
                        queuedChars -= text.text().length();
                        next = text;
                    } else if (!latest.isEmpty()) {
                        Iterator<Object> slots = latest.values().iterator();
                        next = slots.next();
                        slots.remove();
                    } else if (closeWhenDrained != null) {
                        drained = closeWhenDrained;
                    } else {
                        return;
                    }
                    inFlight = drained == null;
                    if (inFlight) {
                        inFlightSince = System.nanoTime();
                    }
                }
                if (drained != null) {
                    startClosing(drained);
                    return;
                }
                if (sendPing) {
                    sendPing();
                } else {
                    // A send that completes at once completes here, on this thread (see SendCompletionExecutor):
                    // onSent then finds this thread pumping, and the loop sends the next frame.
                    SendCompletionExecutor.sending();
                    try {
                        if (next instanceof byte[] binary) {
                            remote.sendBinary(ByteBuffer.wrap(binary), onSent);
                        } else {
                            PreEncodedText.send(remote, ByteBuffer.wrap(((SharedFrame) next).utf8()), onSent);
                        }
                    } catch (RuntimeException e) {
                        onSent(new SendResult(e));
                    } finally {
                        SendCompletionExecutor.sent();
                    }
                }
            }
        } finally {
            if (pumpingThread == current) {
                pumpingThread = null;
            }
        }
    }

    private void sendPing() {
        boolean sent = false;
        try {
            remote.sendPing(PING_PAYLOAD.duplicate());
            sent = true;
        } catch (IOException | RuntimeException e) {
            log.debug("session {}: ping failed: {}", id(), e.toString());
        } finally {
            synchronized (lock) {
                inFlight = false;
            }
        }
        if (!sent) {
            closeAsSlowConsumer();
        }
    }

    private void onSent(SendResult result) {
        synchronized (lock) {
            inFlight = false;
        }
        if (result.isOK()) {
            pump();
            return;
        }
        log.debug("session {}: send failed: {}", id(), result.getException().toString());
        if (isTimeout(result.getException())) {
            closeAsSlowConsumer();
        } else {
            // The peer is gone (reset, broken pipe): nothing to refuse, only sends to stop.
            startClosing(Disconnect.NORMAL);
        }
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
