package io.wschat.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/** A real redis-server (the binary ships in the embedded-redis jar) on a free loopback port, stoppable and restartable. */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
    }

    public static EmbeddedRedis start() {
        EmbeddedRedis redis = new EmbeddedRedis(freePort());
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    /** Starts an empty server on the same port (like a Redis restart without persistence). */
    public synchronized void startAgain() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null && server.isActive()) {
            stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
