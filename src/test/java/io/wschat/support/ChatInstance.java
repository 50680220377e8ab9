package io.wschat.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.wschat.WsChatApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** One whole application on a random port, for tests that run several instances side by side. */
public final class ChatInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;
    private final int port;

    private ChatInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** Starts an instance with these {@code key=value} properties; {@code customize} may register beans before refresh. */
    public static ChatInstance start(List<String> properties, Consumer<ConfigurableApplicationContext> customize) {
        List<String> all = new ArrayList<>(properties);
        all.add("server.port=0");
        all.add("spring.main.banner-mode=off");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WsChatApplication.class)
                .properties(all.toArray(String[]::new))
                .initializers(customize::accept)
                .run();
        return new ChatInstance(context);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public TestClient join(String query) throws Exception {
        return TestClient.connect("ws://localhost:" + port + "/chat?" + query);
    }

    /** GET on this instance; returns the body whatever the status. */
    public String get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
