package io.wschat.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Echo connections are read on Tomcat's poller, not handed to a request thread per message; a peer that
 * makes Tomcat's own replies wait (pings, read by no one) is closed, and one that never stops sending is
 * moved to the request threads, without holding up the others.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "chat.limits.echo.rate.messages-per-second=0")
class PollerReadsTests {

    private static final int ROUND_TRIPS = 500;
    private static final int FLOOD_WRITES = 2_000;
    /** Far above a round trip here (well under a millisecond), far below the close timeout a blocked poller would wait. */
    private static final Duration STALL = Duration.ofMillis(1_500);

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @Test
    void echoRoundTripsHandNoTaskPerMessageToTheRequestThreads() throws Exception {
        try (TestClient client = TestClient.connect("ws://localhost:" + port + "/echo")) {
            roundTrip(client, "warm");
            long tasksBefore = executor().getCompletedTaskCount();

            for (int i = 0; i < ROUND_TRIPS; i++) {
                roundTrip(client, "message " + i);
            }

            // Handed to the pool, each message would be a task: 500.
            assertThat(executor().getCompletedTaskCount() - tasksBefore)
                    .as("tasks run by Tomcat's request threads for %d echo round trips", ROUND_TRIPS)
                    .isLessThan(ROUND_TRIPS / 10);
        }
    }

    @Test
    void aPeerThatFloodsPingsAndReadsNothingIsClosedWhileOtherEchoesGoOn() throws Exception {
        try (TestClient healthy = TestClient.connect("ws://localhost:" + port + "/echo");
             RawWebSocket flooder = RawWebSocket.handshake(port, "/echo", Map.of(), 4_096)) {
            assertThat(flooder.status()).isEqualTo(101);
            CompletableFuture<Integer> pingsUntilClosed = CompletableFuture.supplyAsync(() -> floodPings(flooder));

            assertRoundTripsKeptUpUntilDone(healthy, pingsUntilClosed);
            assertThat(pingsUntilClosed.get()).as("pings the flooder sent before the server closed it").isPositive();
            roundTrip(healthy, "after");
        }
    }

    @Test
    void aPeerThatNeverStopsSendingIsMovedOffThePollerWhileOtherEchoesGoOn() throws Exception {
        try (TestClient healthy = TestClient.connect("ws://localhost:" + port + "/echo");
             RawWebSocket flooder = RawWebSocket.handshake(port, "/echo", Map.of())) {
            roundTrip(healthy, "warm");
            // Unsolicited pongs (a heartbeat, RFC 6455 section 5.5.3) want no answer, so however late the flooder
            // gets to read, the server is never made to wait for it: the flooder is only too busy, never too slow.
            CompletableFuture<String> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    flooder.flood(RawWebSocket.OPCODE_PONG, new byte[125], 1_000, FLOOD_WRITES);
                    flooder.sendText("done");
                    return flooder.nextText();
                } catch (IOException e) {
                    throw new AssertionError("the flooder was cut off", e);
                }
            });

            assertRoundTripsKeptUpUntilDone(healthy, flood);
            assertThat(flood.get()).as("the echo of done, after every pong was read").isEqualTo(EchoWebSocketHandler.PREFIX + "done");
        }
    }

    /** Echo round trips on {@code healthy}, one after the other, until {@code flood} is done: none may take {@link #STALL}. */
    private static void assertRoundTripsKeptUpUntilDone(TestClient healthy, CompletableFuture<?> flood) throws Exception {
        long slowest = 0;
        int roundTrips = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!flood.isDone()) {
            assertThat(System.nanoTime()).as("the flood ended within 60 s").isLessThan(deadline);
            long start = System.nanoTime();
            roundTrip(healthy, "still here " + roundTrips++);
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        assertThat(Duration.ofNanos(slowest)).as("slowest of %d echo round trips beside the flood", roundTrips)
                .isLessThan(STALL);
    }

    /** Sends pings with the largest payload a control frame may carry until the server drops the socket. */
    private static int floodPings(RawWebSocket flooder) {
        byte[] payload = new byte[125];
        int sent = 0;
        try {
            while (sent < 2_000_000) {
                flooder.send(RawWebSocket.OPCODE_PING, true, payload);
                sent++;
            }
            throw new AssertionError("the server took 2,000,000 unread pings without closing the connection");
        } catch (IOException e) {
            return sent;
        }
    }

    private static void roundTrip(TestClient client, String text) throws Exception {
        client.send(text);
        assertThat(client.nextFrame()).isEqualTo(EchoWebSocketHandler.PREFIX + text);
    }

    private SendCompletionExecutor executor() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        return (SendCompletionExecutor) server.getTomcat().getConnector().getProtocolHandler().getExecutor();
    }
}
