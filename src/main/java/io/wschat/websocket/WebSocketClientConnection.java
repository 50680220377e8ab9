package io.wschat.websocket;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Disconnect;

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
 * limit, or one whose frame does not reach it within the send time limit (the container's
 * async send timeout), is closed with 4000 "slow consumer"; closing runs on a separate
 * executor because a close handshake with a stuck peer can itself block.
 */
final class WebSocketClientConnection implements ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(WebSocketClientConnection.class);
    private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final WebSocketSession session;
    private final RemoteEndpoint.Async remote;
    private final long bufferLimit;
    private final Executor closer;
    private final String remoteAddress;

    private final Object lock = new Object();
    private final Queue<String> queue = new ArrayDeque<>();
    private long queuedChars;
    private boolean inFlight;
    private boolean closing;
    /** The thread inside {@link #pump}; a send completing on that same thread lets the loop go on instead of recursing. */
    private volatile Thread pumpingThread;

    WebSocketClientConnection(WebSocketSession session, long bufferLimit, long closeTimeoutMillis, Executor closer) {
        this.session = session;
        jakarta.websocket.Session nativeSession = ((NativeWebSocketSession) session).getNativeSession(jakarta.websocket.Session.class);
        this.remote = nativeSession.getAsyncRemote();
        // Bounds how long a close frame to a stuck peer may block before the socket is simply dropped.
        nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT, closeTimeoutMillis);
        this.bufferLimit = bufferLimit;
        this.closer = closer;
        this.remoteAddress = session.getRemoteAddress() == null ? "unknown" : session.getRemoteAddress().getAddress().getHostAddress();
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void send(String frame) {
        boolean overflow = false;
        synchronized (lock) {
            if (closing) {
                return;
            }
            if (queuedChars + frame.length() > bufferLimit) {
                overflow = true;
            } else {
                queue.add(frame);
                queuedChars += frame.length();
            }
        }
        if (overflow) {
            log.warn("session {} from {} closed: slow consumer, outbound buffer of {} characters is full",
                    id(), remoteAddress, bufferLimit);
            close(Disconnect.SLOW_CONSUMER);
            return;
        }
        pump();
    }

    @Override
    public void close(Disconnect reason) {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            queue.clear();
            queuedChars = 0;
        }
        closer.execute(() -> {
            try {
                session.close(new CloseStatus(reason.code(), reason.reason()));
            } catch (IOException | RuntimeException e) {
                log.debug("session {}: close failed: {}", id(), e.toString());
            }
        });
    }

    private void pump() {
        Thread current = Thread.currentThread();
        if (pumpingThread == current) {
            return;
        }
        pumpingThread = current;
        try {
            while (true) {
                String next;
                synchronized (lock) {
                    if (inFlight || closing || queue.isEmpty()) {
                        return;
                    }
                    next = queue.poll();
                    queuedChars -= next.length();
                    inFlight = true;
                }
                try {
                    remote.sendText(next, this::onSent);
                } catch (RuntimeException e) {
                    onSent(new SendResult(e));
                }
            }
        } finally {
            if (pumpingThread == current) {
                pumpingThread = null;
            }
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
        boolean open;
        synchronized (lock) {
            open = !closing;
        }
        if (open) {
            log.warn("session {} from {} closed: slow consumer, send failed: {}", id(), remoteAddress, result.getException().toString());
            close(Disconnect.SLOW_CONSUMER);
        }
    }
}
