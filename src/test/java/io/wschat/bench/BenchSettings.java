package io.wschat.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every size, rate and duration of a run, as {@code key=value} pairs on the command line over
 * the defaults: {@link #FULL} are the numbers of issue 10 (a 1,010-member room, 19,000 idle
 * connections, 100 echo connections), {@link #SMOKE} the tiny run {@code ./mvnw verify} makes.
 */
record BenchSettings(
        List<Target> targets,
        List<String> scenarios,
        Path jar,
        Path wsServer,
        String javaOpts,
        Path out,
        Duration startTimeout,
        boolean restart,
        int threads,
        int sources,
        Duration handshakeTimeout,
        int messageSize,
        Echo echo,
        FanOut fanout,
        Connections connections,
        Map<String, String> values) {

    /** @param connections connections in a closed loop: each sends its next message when the answer to the last arrived */
    record Echo(int connections, Duration warmup, Duration duration) {
    }

    /**
     * @param members      members of the one room
     * @param handshakes   handshakes in flight while the room forms
     * @param senders      members that send, in turn, at the room's rate
     * @param rate         messages per second to the whole room, open loop (sent on schedule, whatever the answers)
     * @param settle       longest wait for the server to go quiet after the last member joined
     * @param warmup       how long the room runs at {@code searchStart} before anything is measured, so that
     *                     every target is measured warm (the JVM's compilers are busy for the first seconds of load,
     *                     and our server's first heartbeat, 25 s after it starts, takes send paths that load had not:
     *                     a JFR showed the compiled send path thrown out then, and the room 200 ms behind while it recompiled;
     *                     and the store's code, run a few times per message, is still being compiled by C2 a minute in)
     * @param searchStart  first rate of the search for the highest sustainable rate, doubled until a step fails
     * @param searchMax    the search stops here
     * @param searchStep   how long each rate of the search runs
     */
    record FanOut(int members, int handshakes, int senders, double rate, Duration duration, Duration settle,
                  Duration warmup, double searchStart, double searchMax, Duration searchStep) {
    }

    /**
     * @param count       idle connections to open and hold
     * @param handshakes  handshakes in flight
     * @param maxFailures failed handshakes after which no more are started (a full server must not stall the run)
     * @param hold        how long they are held before counting how many are still open
     * @param warmup      how long rounds of a tenth of them are opened and closed before the rate and CPU per
     *                    connection are measured, so that the server and the generator are measured warm
     */
    record Connections(int count, int handshakes, int maxFailures, Duration hold, Duration warmup) {
    }

    static final List<String> SCENARIOS = List.of("connections", "echo", "fanout");

    /** The numbers. */
    static final Map<String, String> FULL = defaults();

    /** A few seconds' run against our server alone: proves the suite produces numbers, measures nothing. */
    static final Map<String, String> SMOKE = smoke();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("targets", "ours,ours-memory,ws");
        d.put("scenarios", String.join(",", SCENARIOS));
        d.put("jar", "target/wschat.jar");
        d.put("ws-server", "bench/ws-server/server.js");
        String javaOpts = System.getenv("BENCH_JAVA_OPTS");
        d.put("java-opts", javaOpts == null || javaOpts.isBlank() ? "-Xmx1g" : javaOpts);
        d.put("out", "target/bench");
        d.put("start-timeout", "300s");
        d.put("restart", "true");
        d.put("threads", "1");
        d.put("sources", "4");
        d.put("handshake-timeout", "30s");
        d.put("message-size", "32");
        d.put("echo.connections", "100");
        d.put("echo.warmup", "5s");
        d.put("echo.duration", "10s");
        d.put("fanout.members", "1010");
        d.put("fanout.handshakes", "128");
        d.put("fanout.senders", "4");
        d.put("fanout.rate", "40");
        d.put("fanout.duration", "10s");
        d.put("fanout.settle", "60s");
        d.put("fanout.warmup", "150s");
        d.put("fanout.search-start", "25");
        d.put("fanout.search-max", "3200");
        d.put("fanout.search-step", "5s");
        d.put("connections.count", "19000");
        d.put("connections.handshakes", "128");
        d.put("connections.max-failures", "200");
        d.put("connections.hold", "5s");
        d.put("connections.warmup", "30s");
        return d;
    }

    private static Map<String, String> smoke() {
        Map<String, String> s = defaults();
        s.put("targets", "ours");
        s.put("out", "target/bench-smoke");
        s.put("restart", "false");
        s.put("echo.connections", "4");
        s.put("echo.warmup", "500ms");
        s.put("echo.duration", "1s");
        s.put("fanout.members", "8");
        s.put("fanout.handshakes", "4");
        s.put("fanout.senders", "2");
        s.put("fanout.rate", "20");
        s.put("fanout.duration", "1s");
        s.put("fanout.settle", "5s");
        s.put("fanout.warmup", "500ms");
        s.put("fanout.search-start", "50");
        s.put("fanout.search-max", "100");
        s.put("fanout.search-step", "500ms");
        s.put("connections.count", "50");
        s.put("connections.handshakes", "16");
        s.put("connections.hold", "200ms");
        s.put("connections.warmup", "0s");
        return s;
    }

    /** The defaults with {@code key=value} arguments over them; an unknown key or a bad value fails with the keys there are. */
    static BenchSettings parse(Map<String, String> defaults, String... args) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            if (pair.length != 2 || !values.containsKey(pair[0])) {
                throw new IllegalArgumentException("unknown setting '" + arg + "'; settings (key=value) and their defaults: " + new TreeMap<>(defaults));
            }
            values.put(pair[0], pair[1]);
        }
        try {
            return from(values);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad setting: " + e.getMessage() + "; settings and their defaults: " + new TreeMap<>(defaults), e);
        }
    }

    private static BenchSettings from(Map<String, String> v) {
        List<String> scenarios = list(v.get("scenarios"));
        for (String scenario : scenarios) {
            if (!SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("scenarios: '" + scenario + "' is none of " + SCENARIOS);
            }
        }
        return new BenchSettings(
                list(v.get("targets")).stream().map(Target::named).toList(),
                scenarios,
                Path.of(v.get("jar")),
                Path.of(v.get("ws-server")),
                v.get("java-opts"),
                Path.of(v.get("out")),
                duration(v, "start-timeout"),
                Boolean.parseBoolean(v.get("restart")),
                positive(v, "threads"),
                positive(v, "sources"),
                duration(v, "handshake-timeout"),
                positive(v, "message-size"),
                new Echo(positive(v, "echo.connections"), duration(v, "echo.warmup"), duration(v, "echo.duration")),
                new FanOut(positive(v, "fanout.members"), positive(v, "fanout.handshakes"), positive(v, "fanout.senders"),
                        rate(v, "fanout.rate"), duration(v, "fanout.duration"), duration(v, "fanout.settle"),
                        duration(v, "fanout.warmup"), rate(v, "fanout.search-start"), rate(v, "fanout.search-max"), duration(v, "fanout.search-step")),
                new Connections(positive(v, "connections.count"), positive(v, "connections.handshakes"),
                        positive(v, "connections.max-failures"), duration(v, "connections.hold"), duration(v, "connections.warmup")),
                Collections.unmodifiableMap(new LinkedHashMap<>(v)));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int positive(Map<String, String> v, String key) {
        int value = Integer.parseInt(v.get(key));
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1");
        }
        return value;
    }

    private static double rate(Map<String, String> v, String key) {
        double value = Double.parseDouble(v.get(key));
        if (!(value > 0)) {
            throw new IllegalArgumentException(key + " must be a positive number of messages per second");
        }
        return value;
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}. */
    private static Duration duration(Map<String, String> v, String key) {
        String value = v.get(key).trim();
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
        }
        if (value.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not a duration such as 10s or 500ms");
    }

    /** A server the suite runs against. */
    enum Target {
        /** Our jar with its defaults: history in the SQLite file store. */
        OURS("ours"),
        /** Our jar with the in-memory history store, to show what the SQLite store costs. */
        OURS_MEMORY("ours-memory"),
        /** The Node.js {@code ws} 8 reference server in {@code bench/ws-server}. */
        WS("ws");

        final String label;

        Target(String label) {
            this.label = label;
        }

        static Target named(String name) {
            for (Target target : values()) {
                if (target.label.equals(name)) {
                    return target;
                }
            }
            throw new IllegalArgumentException("targets: '" + name + "' is none of ours, ours-memory, ws");
        }
    }
}
