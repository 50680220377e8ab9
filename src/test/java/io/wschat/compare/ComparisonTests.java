package io.wschat.compare;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.support.LiveServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@LiveServerTest
class ComparisonTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    @Test
    void httpEchoAnswersLikeTheWebSocketEcho() throws Exception {
        HttpResponse<String> ok = send(HttpRequest.newBuilder(uri("/api/compare/echo?payload=hello")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("got your message: hello");

        HttpResponse<String> tooLong = send(HttpRequest.newBuilder(uri("/api/compare/echo?payload=" + "x".repeat(1025))));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JSON.readTree(tooLong.body()).path("code").asString()).isEqualTo("payload_too_long");
    }

    @Test
    void runnerCountsTheExactBytesOfEachMode() throws Exception {
        ComparisonReport report = new ComparisonRunner(Duration.ofSeconds(5)).run("localhost", port, 10, 16, 2);

        assertThat(report.modes()).extracting(ComparisonReport.ModeResult::mode).containsExactly("http10", "http11", "websocket");
        var http10 = report.modes().get(0);
        var http11 = report.modes().get(1);
        var ws = report.modes().get(2);
        String keepAliveRequest = "GET /api/compare/echo?payload=abcdefghijklmnop HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n";
        assertThat(http11.requestBytes()).isEqualTo(keepAliveRequest.length());
        assertThat(http10.requestBytes()).isEqualTo(keepAliveRequest.length() + "Connection: close\r\n".length());
        // The same response, plus the server's "Connection: close".
        assertThat(http10.responseBytes()).isGreaterThan(http11.responseBytes());
        assertThat(http11.responseBytes()).isGreaterThan("HTTP/1.1 200 \r\n\r\ngot your message: abcdefghijklmnop".length());
        // RFC 6455: 2-byte header + 4-byte mask from the client, 2-byte header from the server.
        assertThat(ws.requestBytes()).isEqualTo(2 + 4 + 16);
        assertThat(ws.responseBytes()).isEqualTo(2 + 18 + 16);
        assertThat(ws.setupBytes()).isBetween(150L, 2000L);
        assertThat(http10.connections()).isEqualTo(10);
        assertThat(http11.connections()).isEqualTo(1);
        assertThat(ws.connections()).isEqualTo(1);
        for (var mode : report.modes()) {
            assertThat(mode.exchanges()).isEqualTo(10);
            assertThat(mode.medianMillis()).isPositive();
            assertThat(mode.p99Millis()).isGreaterThanOrEqualTo(mode.medianMillis());
            assertThat(mode.totalMillis()).isGreaterThanOrEqualTo(mode.medianMillis());
            assertThat(mode.requestsPerSecond()).isCloseTo(10 * 1000 / mode.totalMillis(), org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(mode.bytesPerExchange()).isEqualTo(mode.requestBytes() + mode.responseBytes());
        }
    }

    @Test
    void keepAliveReconnectsWhenTheServerEndsTheConnection() throws Exception {
        // Tomcat closes a keep-alive connection after 100 requests by default.
        ComparisonReport report = new ComparisonRunner(Duration.ofSeconds(5)).run("localhost", port, 150, 8, 0);
        assertThat(report.modes().get(1).connections()).isEqualTo(2);
        assertThat(report.modes().get(0).connections()).isEqualTo(150);
    }

    @Test
    void serverRunsTheComparisonAgainstItselfForThePage() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/compare/runs?exchanges=20&payloadBytes=32"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("exchanges").asInt()).isEqualTo(20);
        assertThat(report.path("modes")).hasSize(3);
        for (JsonNode mode : report.path("modes")) {
            assertThat(mode.path("requestsPerSecond").asDouble()).isPositive();
            assertThat(mode.path("bytesPerExchange").asDouble()).isPositive();
            assertThat(mode.path("title").asString()).isNotBlank();
        }
        assertThat(report.path("modes").get(2).path("bytesPerExchange").asDouble())
                .isLessThan(report.path("modes").get(1).path("bytesPerExchange").asDouble() / 2);

        HttpResponse<String> invalid = send(HttpRequest.newBuilder(uri("/api/compare/runs?exchanges=0"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).path("code").asString()).isEqualTo("invalid_exchanges");
    }

    @Test
    void commandLinePrintsATableOfTheThreeModes() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = ComparisonCommand.run(new String[] {"--url=http://localhost:" + port, "--exchanges=5", "--warmup=0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("5 exchanges per mode").contains("http10").contains("http11")
                .contains("websocket").contains("38 + 52 = 90");
        int bad = ComparisonCommand.run(new String[] {"--exchanges=zero"}, new PrintStream(out), new PrintStream(err));
        assertThat(bad).isEqualTo(2);
    }

    @Test
    void framesAndPercentilesFollowTheirDefinitions() {
        assertThat(ComparisonRunner.frameBytes(125, false)).isEqualTo(127);
        assertThat(ComparisonRunner.frameBytes(126, true)).isEqualTo(2 + 2 + 4 + 126);
        assertThat(ComparisonRunner.frameBytes(70_000, false)).isEqualTo(2 + 8 + 70_000);
        long[] oneToHundred = new long[100];
        for (int i = 0; i < 100; i++) {
            oneToHundred[i] = i + 1;
        }
        assertThat(ComparisonRunner.percentile(oneToHundred, 50)).isEqualTo(50);
        assertThat(ComparisonRunner.percentile(oneToHundred, 99)).isEqualTo(99);
        assertThat(ComparisonRunner.percentile(new long[] {7}, 99)).isEqualTo(7);
    }
}
