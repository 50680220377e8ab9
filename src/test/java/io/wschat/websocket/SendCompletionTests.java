package io.wschat.websocket;

import io.wschat.support.TestClient;
import io.wschat.support.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send that completes at once finishes on the thread that sent it: a broadcast to a room hands
 * no completion per member to Tomcat's request threads, and every frame still arrives, in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.threads.max=37", "server.tomcat.threads.min-spare=3",
                "chat.limits.rate.messages-per-second=0", "chat.max-text-length=65536"})
class SendCompletionTests {

    private static final int MEMBERS = 40;
    private static final int MESSAGES = 25;

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    private final TestClients clients = new TestClients();

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
    }

    @Test
    void tomcatRunsOnTheExecutorAsServerTomcatThreadsConfigureIt() {
        SendCompletionExecutor executor = executor();
        assertThat(executor.getMaxThreads()).isEqualTo(37);
        assertThat(executor.getMinSpareThreads()).isEqualTo(3);
        assertThat(executor.getPoolSize()).as("threads started with the server").isPositive();
    }

    @Test
    void aBroadcastHandsNoCompletionPerMemberToTheRequestThreads() throws Exception {
        TestClient sender = join("broadcast", "Sender");
        for (int i = 1; i < MEMBERS; i++) {
            join("broadcast", "member-" + i);
        }
        for (TestClient client : clients.all().subList(0, MEMBERS - 1)) {
            awaitCount(client, MEMBERS);
        }
        long tasksBefore = executor().getCompletedTaskCount();

        for (int i = 0; i < MESSAGES; i++) {
            sender.send("broadcast " + i);
        }
        for (TestClient client : clients.all()) {
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(client.next("message").path("text").asString()).isEqualTo("broadcast " + i);
            }
        }

        // Handed to the pool: the sender's frames being read, a few per message. With a hand-off per
        // completed send it would be at least one per delivery: MEMBERS x MESSAGES = 1,000.
        long tasks = executor().getCompletedTaskCount() - tasksBefore;
        assertThat(tasks).as("tasks run by Tomcat's request threads for %d deliveries", MEMBERS * MESSAGES)
                .isLessThan(MEMBERS * MESSAGES / 4);
    }

    @Test
    void aMultiByteMessageFarBeyondTheContainersBuffersArrivesWhole() throws Exception {
        TestClient sender = join("fragments", "Sender");
        TestClient reader = join("fragments", "Reader");
        awaitCount(sender, 2);
        // 30 KB of UTF-8 against 1 KB socket buffers, encoded once for both members: written in
        // many steps, the first completed on the sending thread, the rest through the pool.
        String text = "añ€😀".repeat(3_000);
        sender.send(text);
        assertThat(reader.next("message").path("text").asString()).isEqualTo(text);
        assertThat(sender.next("message").path("text").asString()).isEqualTo(text);
    }

    /** Each test has a room of its own, so that members another test closed cannot still be leaving it. */
    private TestClient join(String room, String name) throws Exception {
        TestClient client = clients.connect("ws://localhost:" + port + "/chat?room=" + room + "&name=" + name);
        client.next("welcome");
        return client;
    }

    /** Reads presence events until the room counts {@code members}. */
    private static void awaitCount(TestClient client, int members) throws InterruptedException {
        client.next(event -> "presence".equals(event.path("type").asString())
                && event.path("count").asInt() == members, "presence with " + members + " members");
    }

    private SendCompletionExecutor executor() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        return (SendCompletionExecutor) server.getTomcat().getConnector().getProtocolHandler().getExecutor();
    }
}
