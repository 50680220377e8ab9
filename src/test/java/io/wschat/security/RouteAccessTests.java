package io.wschat.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RoutePolicy} through real HTTP, with chat tokens and API keys both on: for each class of route,
 * no credentials, wrong ones and right ones, by GET, HEAD and the write methods; and every refusal and
 * Spring MVC error under {@code /api} as problem details with a {@code code}.
 */
// The same settings as TokenCheckTests, so that both share one cached context.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chat.security.jwt.secret=" + TokenCheckTests.SECRET, "chat.api.keys=" + TokenCheckTests.API_KEY})
class RouteAccessTests {

    private static final String SECRET = TokenCheckTests.SECRET;
    private static final String API_KEY = TokenCheckTests.API_KEY;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private static String chatToken() {
        return "Bearer " + Tokens.hs256(SECRET, "reader", "Reader", Instant.now().plus(1, ChronoUnit.HOURS));
    }

    private static String wrongChatToken() {
        return "Bearer " + Tokens.hs256("another-secret-that-is-32-bytes-long!!", "reader", "Reader", Instant.now().plus(1, ChronoUnit.HOURS));
    }

    private HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpRequest.BodyPublisher body = method.equals("POST") || method.equals("PUT")
                ? HttpRequest.BodyPublishers.ofString("{\"text\":\"route access\",\"room\":\"route-room\",\"chunks\":1}")
                : HttpRequest.BodyPublishers.noBody();
        return HTTP.send(request.header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).as(response.uri().toString()).get().asString()
                .startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(response.statusCode());
        return problem.path("code").asString();
    }

    @Test
    void readsOfTheApiTakeTheChatTokenByGetAndHeadAlike() throws Exception {
        for (String path : new String[] {"/api/rooms", "/api/rooms/route-never-used/messages"}) {
            for (String method : new String[] {"GET", "HEAD"}) {
                String what = method + " " + path;
                HttpResponse<String> none = call(method, path, null);
                assertThat(none.statusCode()).as(what + " without a token").isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).as(what).get().asString().startsWith("Bearer");
                assertThat(call(method, path, wrongChatToken()).statusCode()).as(what + " with a token of another key").isEqualTo(401);
                assertThat(call(method, path, "Bearer " + API_KEY).statusCode()).as(what + " with an API key").isEqualTo(401);
                assertThat(call(method, path, chatToken()).statusCode()).as(what + " with the chat token")
                        .isEqualTo(path.equals("/api/rooms") ? 200 : 404);
            }
        }
        assertThat(code(call("GET", "/api/rooms", null))).isEqualTo("token_missing");
        assertThat(code(call("GET", "/api/rooms", wrongChatToken()))).isEqualTo("token_invalid");
        assertThat(code(call("GET", "/api/rooms/route-never-used/messages", chatToken()))).isEqualTo("unknown_room");
    }

    @Test
    void writesOfTheApiTakeAnApiKey() throws Exception {
        for (String[] write : new String[][] {{"POST", "/api/rooms/route-room/messages"}, {"POST", "/api/jobs"},
                {"DELETE", "/api/jobs/no-such-job?room=route-room"}}) {
            String what = write[0] + " " + write[1];
            HttpResponse<String> none = call(write[0], write[1], null);
            assertThat(none.statusCode()).as(what + " without a key").isEqualTo(401);
            assertThat(code(none)).isEqualTo("unauthorized");
            assertThat(call(write[0], write[1], "Bearer wrong-key-0123456789").statusCode()).as(what + " with a wrong key").isEqualTo(401);
            assertThat(call(write[0], write[1], chatToken()).statusCode()).as(what + " with a chat token").isEqualTo(401);
            HttpResponse<String> right = call(write[0], write[1], "Bearer " + API_KEY);
            assertThat(right.statusCode()).as(what + " with the key: " + right.body()).isIn(200, 202, 404);
        }
        assertThat(code(call("DELETE", "/api/jobs/no-such-job?room=route-room", "Bearer " + API_KEY))).isEqualTo("unknown_job");
    }

    @Test
    void publicRoutesNeedNothing() throws Exception {
        for (String method : new String[] {"GET", "HEAD"}) {
            assertThat(call(method, "/", null).statusCode()).as(method + " /").isEqualTo(200);
            assertThat(call(method, "/css/app.css", null).statusCode()).as(method + " a static asset").isEqualTo(200);
            assertThat(call(method, "/api/compare/echo?payload=hi", null).statusCode()).as(method + " the comparison echo").isEqualTo(200);
            assertThat(call(method, "/actuator/health", null).statusCode()).as(method + " health").isEqualTo(200);
        }
        HttpResponse<String> run = call("POST", "/api/compare/runs?exchanges=0", null);
        assertThat(run.statusCode()).as("reaches the controller's validation, not an access check").isEqualTo(400);
        assertThat(code(run)).isEqualTo("invalid_exchanges");
    }

    @Test
    void springsOwnErrorsUnderTheApiCarryACode() throws Exception {
        HttpResponse<String> unknown = call("GET", "/api/no-such-endpoint", chatToken());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(code(unknown)).isEqualTo("not_found");
        HttpResponse<String> wrongMethod = call("PUT", "/api/rooms", chatToken());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(code(wrongMethod)).isEqualTo("method_not_allowed");
        HttpResponse<String> mistyped = call("GET", "/api/rooms?limit=ten", chatToken());
        assertThat(mistyped.statusCode()).isEqualTo(400);
        assertThat(code(mistyped)).isEqualTo("bad_request");
        HttpResponse<String> notJson = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/jobs"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(code(notJson)).isEqualTo("unsupported_media_type");
    }
}
