package org.apache.tomcat.util.net;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells which socket a task that Tomcat's poller hands to the executor is about to read.
 *
 * <p>The poller hands each socket that has data to read to the executor as a {@link SocketProcessorBase},
 * whose socket and event are protected fields, so this class sits in Tomcat's package (on the class
 * path, where that package is not sealed), as {@code org.apache.tomcat.websocket.PreEncodedText} does.
 * A Tomcat that renames those fields fails the build.
 */
public final class SocketReads {

    private SocketReads() {
    }

    /**
     * The lock of the socket {@code task} reads from, which stands for that socket, or null if
     * {@code task} is not a read (a write that had waited for the socket, an error, a request's dispatch).
     */
    public static ReentrantLock socketOf(Runnable task) {
        if (task instanceof SocketProcessorBase<?> processor && processor.event == SocketEvent.OPEN_READ
                && processor.socketWrapper != null) {
            return processor.socketWrapper.getLock();
        }
        return null;
    }
}
