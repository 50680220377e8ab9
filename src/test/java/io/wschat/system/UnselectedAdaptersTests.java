package io.wschat.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.sql.DataSource;

import io.wschat.support.RunningApp;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** An adapter the configuration does not select is not started: no database pool, no Redis client. */
class UnselectedAdaptersTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theMemoryStoreAndTheLocalBrokerStartNoDatabaseAndNoRedisClient() throws Exception {
        try (RunningApp app = RunningApp.start("chat.history.store=memory", "chat.broker.type=local")) {
            assertThat(app.context().getBeanNamesForType(DataSource.class)).isEmpty();
            assertThat(app.context().getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
            String health = get(app.port(), "/actuator/health");
            assertThat(health).contains("\"status\":\"UP\"").doesNotContain("\"db\"");
        }
    }

    @Test
    void theDatabaseStoreStillHasItsDatabase() throws Exception {
        try (RunningApp app = RunningApp.start("chat.history.store=jdbc")) {
            assertThat(app.context().getBeanNamesForType(DataSource.class)).hasSize(1);
            assertThat(get(app.port(), "/actuator/health")).contains("\"db\"");
        }
    }

    private static String get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
