package org.apache.tomcat.websocket;

import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.RemoteEndpoint;

/**
 * The socket under a Tomcat WebSocket session, as the lock Tomcat holds while it processes that socket:
 * the same object {@code org.apache.tomcat.util.net.SocketReads} finds in a task the poller hands over.
 *
 * <p>The endpoint's {@code getLock} is protected, so this class sits in Tomcat's package, as
 * {@link PreEncodedText} does. A Tomcat that changes that method fails the build.
 */
public final class SessionSockets {

    private SessionSockets() {
    }

    /** The socket lock of the session {@code remote} writes to; {@code remote} must be Tomcat's ({@link PreEncodedText#supports}). */
    public static ReentrantLock socketOf(RemoteEndpoint.Async remote) {
        return ((WsRemoteEndpointBase) remote).base.getLock();
    }
}
