package io.wschat.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-for-byte TCP forwarder to a local port that a test can cut: every open connection
 * is dropped without a close frame (what a client sees when the network or server vanishes)
 * and new ones are refused until {@link #accept()}; or stalled: connections stay open but no
 * byte moves until {@link #resume()} (what a hung database or a full network path looks like).
 * It never looks at the bytes.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean refusing;
    private volatile boolean stalled;

    private TcpProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on an ephemeral loopback port and forwards to {@code targetPort} on loopback. */
    public static TcpProxy to(int targetPort) throws IOException {
        return new TcpProxy(targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Drops every forwarded connection and refuses new ones. */
    public void cutAndRefuse() {
        refusing = true;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Holds every byte in both directions, on open and new connections, until {@link #resume()}. */
    public void stall() {
        stalled = true;
    }

    /** Lets the held bytes and everything after them through. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    /** Forwards new connections again. */
    public void accept() {
        refusing = false;
    }

    @Override
    public void close() {
        closeQuietly(server);
        cutAndRefuse();
        resume();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // the server socket was closed, or one connection failed: the loop condition decides
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n = from.getInputStream().read(buffer); n >= 0; n = from.getInputStream().read(buffer)) {
                    awaitFlowing();
                    to.getOutputStream().write(buffer, 0, n);
                }
            } catch (IOException e) {
                // cut, or the peer went away: both ends are closed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
