package io.wschat.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.bench.BenchSettings.Target;
import io.wschat.bench.Report.TargetResult;

/**
 * The benchmark of issue 10: the same suite (idle connections, echo, a fan-out room) against our
 * jar and against the Node.js {@code ws} reference server, one after the other in one run, with
 * one load generator. Run it with {@code bench/run} (docs/PERFORMANCE.md), which builds the jar,
 * installs the reference server from npm and passes {@code key=value} settings here.
 *
 * <p>Prints the table with ratios and writes the whole result as JSON to {@code out}.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) {
        BenchSettings settings = BenchSettings.parse(BenchSettings.FULL, args);
        Report report = run(settings, System.err);
        Path json = report.write(settings.out(), JsonMapper.builder().build());
        System.out.println();
        System.out.println("Machine: " + report.machine());
        System.out.println("Server JVM options: " + settings.javaOpts());
        System.out.println();
        System.out.print(report.table());
        System.out.print(report.notes());
        System.out.println();
        System.out.println("JSON: " + json.toAbsolutePath());
    }

    /** Runs every scenario against every target, in the order given, and reports progress to {@code log}. */
    static Report run(BenchSettings settings, PrintStream log) {
        Machine machine = Machine.describe();
        log.println("bench: " + machine);
        Map<String, TargetResult> results = new LinkedHashMap<>();
        try (LoadClient client = new LoadClient(settings.threads(), settings.handshakeTimeout())) {
            for (Target target : settings.targets()) {
                results.put(target.label, runTarget(target, settings, client, log));
            }
        }
        return Report.of(machine, settings, results);
    }

    private static TargetResult runTarget(Target target, BenchSettings settings, LoadClient client, PrintStream log) {
        List<String> notes = new ArrayList<>();
        ConnectionsScenario.Result connections = null;
        EchoScenario.Result echo = null;
        FanOutScenario.Result fanout = null;
        ServerUnderTest server = null;
        try {
            for (String scenario : settings.scenarios()) {
                if (server == null || settings.restart() || !server.isAlive()) {
                    if (server != null) {
                        server.close();
                    }
                    server = ServerUnderTest.start(target, settings, scenario, client);
                }
                log.printf("bench: %s (pid %d, port %d): %s%n", target.label, server.pid(), server.port, scenario);
                try {
                    switch (scenario) {
                        case "connections" -> {
                            connections = ConnectionsScenario.run(server, client, settings);
                            log.printf("bench: %s: %s%n", target.label, connections);
                        }
                        case "echo" -> {
                            echo = EchoScenario.run(server, client, settings);
                            log.printf("bench: %s: %s%n", target.label, echo);
                        }
                        case "fanout" -> {
                            fanout = FanOutScenario.run(server, client, settings);
                            log.printf("bench: %s: %s%n", target.label, fanout);
                        }
                        default -> throw new IllegalArgumentException("no scenario " + scenario);
                    }
                } catch (RuntimeException e) {
                    notes.add(scenario + " failed: " + e + " (server " + server.exitDescription() + ")");
                    log.printf("bench: %s: %s failed: %s%n", target.label, scenario, e);
                }
                if (!server.isAlive()) {
                    notes.add("the server " + server.exitDescription() + " during " + scenario + "; started again for the next scenario");
                }
            }
        } catch (RuntimeException e) {
            notes.add("could not run: " + e.getMessage());
            log.printf("bench: %s: could not run: %s%n", target.label, e.getMessage());
        } finally {
            if (server != null) {
                server.close();
            }
        }
        return new TargetResult(connections, echo, fanout, notes);
    }
}
