package io.wschat.support;

import io.wschat.WsChatApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application started for one test class alone, for tests that must stop it or need a
 * setup no other test shares; the cached test context is never closed.
 */
public final class RunningApp implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the application on a free port with the given {@code name=value} properties. */
    public static RunningApp start(String... properties) {
        return startWithProfile("default", properties);
    }

    /** The same with a profile; the properties win over the profile's, as command-line arguments do. */
    public static RunningApp startWithProfile(String profile, String... properties) {
        String[] args = new String[properties.length + 1];
        args[0] = "--server.port=0";
        for (int i = 0; i < properties.length; i++) {
            args[i + 1] = "--" + properties[i];
        }
        return new RunningApp(new SpringApplicationBuilder(WsChatApplication.class).profiles(profile).run(args));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
