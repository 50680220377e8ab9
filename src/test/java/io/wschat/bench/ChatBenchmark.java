package io.wschat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fan-out benchmark against a running server: {@code clients} members in one room, one of
 * them sends {@code messages} messages at {@code rate} per second, every member measures how
 * long each message took to reach it. Prints deliveries, throughput, latency percentiles and
 * the server's heap after the run. Start the server with the per-connection rate limit and the
 * per-address connection cap off (every benchmark client comes from one address):
 *
 * <pre>./mvnw spring-boot:run -Dspring-boot.run.arguments="--chat.limits.rate.messages-per-second=0 --chat.limits.connections-per-address=0"</pre>
 *
 * then:
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.wschat.bench.ChatBenchmark -Dexec.args="clients=500 messages=200 rate=50"</pre>
 */
public final class ChatBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Arrays.stream(args).map(a -> a.split("=", 2))
                .collect(Collectors.toMap(a -> a[0], a -> a.length > 1 ? a[1] : ""));
        String server = options.getOrDefault("server", "http://localhost:8080");
        int clients = Integer.parseInt(options.getOrDefault("clients", "200"));
        int messages = Integer.parseInt(options.getOrDefault("messages", "200"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "50"));
        int size = Integer.parseInt(options.getOrDefault("size", "100"));
        String room = "bench-" + System.currentTimeMillis();

        HttpClient http = HttpClient.newHttpClient();
        long[] latencies = new long[clients * messages];
        AtomicLong received = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients * messages);
        List<WebSocket> sockets = new ArrayList<>();
        URI uri = URI.create(server.replaceFirst("^http", "ws") + "/chat?room=" + room + "&name=b");
        for (int i = 0; i < clients; i++) {
            CountDownLatch welcomed = new CountDownLatch(1);
            sockets.add(http.newWebSocketBuilder().buildAsync(uri, new Recorder(welcomed, latencies, received, done)).join());
            welcomed.await(10, TimeUnit.SECONDS);
        }
        System.out.printf("%d clients connected to room %s%n", clients, room);

        String padding = "x".repeat(Math.max(0, size - 20));
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
        for (int i = 0; i < messages; i++) {
            long due = start + i * intervalNanos;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            sockets.get(0).sendText(System.nanoTime() + " " + padding, true).join();
        }
        boolean complete = done.await(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;

        long count = received.get();
        long[] sorted = Arrays.copyOf(latencies, (int) Math.min(count, latencies.length));
        Arrays.sort(sorted);
        System.out.printf("delivered %d of %d (%s) in %.2f s: %.0f deliveries/s%n", count, (long) clients * messages,
                complete ? "all" : "INCOMPLETE", seconds, count / seconds);
        System.out.printf("latency ms: p50 %.2f  p99 %.2f  max %.2f%n",
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
        System.out.printf("server heap used after run: %.1f MiB%n", heapUsedMiB(http, server));
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static double heapUsedMiB(HttpClient http, String server) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(server + "/actuator/metrics/jvm.memory.used?tag=area:heap")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Double.NaN;
        }
        return JSON.readTree(response.body()).path("measurements").get(0).path("value").asDouble() / (1024 * 1024);
    }

    /** Records the latency of every chat message whose text starts with the sender's nanoTime. */
    private static final class Recorder implements WebSocket.Listener {
        private final CountDownLatch welcomed;
        private final long[] latencies;
        private final AtomicLong received;
        private final CountDownLatch done;
        private final StringBuilder partial = new StringBuilder();

        Recorder(CountDownLatch welcomed, long[] latencies, AtomicLong received, CountDownLatch done) {
            this.welcomed = welcomed;
            this.latencies = latencies;
            this.received = received;
            this.done = done;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                JsonNode event = JSON.readTree(partial.toString());
                partial.setLength(0);
                String type = event.path("type").asString();
                if ("welcome".equals(type)) {
                    welcomed.countDown();
                } else if ("message".equals(type)) {
                    String text = event.path("text").asString();
                    long sentAt = Long.parseLong(text.substring(0, text.indexOf(' ')));
                    long index = received.getAndIncrement();
                    if (index < latencies.length) {
                        latencies[(int) index] = now - sentAt;
                    }
                    done.countDown();
                }
            }
            socket.request(1);
            return null;
        }
    }

    private ChatBenchmark() {
    }
}
