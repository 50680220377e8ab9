package io.wschat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.bench.BenchSettings.Target;

/**
 * A run's results: per target and scenario in full (the JSON), and the rows of issue 10's table
 * with the ratio of our server to {@code ws} (and of the SQLite store to the memory store) per row.
 */
record Report(Machine machine, Map<String, String> settings, Map<String, TargetResult> targets, List<Row> rows) {

    /** One server's results; a scenario that could not run is null, and {@code notes} say why. */
    record TargetResult(ConnectionsScenario.Result connections, EchoScenario.Result echo, FanOutScenario.Result fanout,
                        List<String> notes) {
    }

    /**
     * One line of the table.
     *
     * @param ratio ours / ws, when the row has one
     * @param storeRatio ours (SQLite) / ours-memory, when the row has one
     */
    record Row(String metric, Map<String, Double> values, Double ratio, Double storeRatio) {
    }

    private record Metric(String label, boolean ratio, ToDoubleFunction<TargetResult> value) {

        static Metric echo(String label, boolean ratio, ToDoubleFunction<EchoScenario.Result> value) {
            return new Metric(label, ratio, t -> t.echo() == null ? Double.NaN : value.applyAsDouble(t.echo()));
        }

        static Metric fanout(String label, boolean ratio, ToDoubleFunction<FanOutScenario.Result> value) {
            return new Metric(label, ratio, t -> t.fanout() == null ? Double.NaN : value.applyAsDouble(t.fanout()));
        }

        static Metric connections(String label, boolean ratio, ToDoubleFunction<ConnectionsScenario.Result> value) {
            return new Metric(label, ratio, t -> t.connections() == null ? Double.NaN : value.applyAsDouble(t.connections()));
        }
    }

    static Report of(Machine machine, BenchSettings settings, Map<String, TargetResult> targets) {
        List<Row> rows = new ArrayList<>();
        for (Metric metric : metrics(settings)) {
            Map<String, Double> values = new LinkedHashMap<>();
            targets.forEach((target, result) -> values.put(target, metric.value().applyAsDouble(result)));
            rows.add(new Row(metric.label(), values,
                    metric.ratio() ? ratio(values, Target.OURS, Target.WS) : null,
                    metric.ratio() ? ratio(values, Target.OURS, Target.OURS_MEMORY) : null));
        }
        return new Report(machine, settings.values(), targets, rows);
    }

    private static Double ratio(Map<String, Double> values, Target top, Target bottom) {
        Double a = values.get(top.label);
        Double b = values.get(bottom.label);
        if (a == null || b == null || a.isNaN() || b.isNaN() || b == 0) {
            return null;
        }
        return a / b;
    }

    private static List<Metric> metrics(BenchSettings s) {
        int c = s.echo().connections();
        int r = s.fanout().members();
        String rate = number(s.fanout().rate());
        int n = s.connections().count();
        return List.of(
                Metric.echo("echo, " + c + " connections: round trips/s", true, t -> t.roundTripsPerSecond()),
                Metric.echo("echo: latency p50, ms", true, t -> t.latency().p50()),
                Metric.echo("echo: latency p90, ms", true, t -> t.latency().p90()),
                Metric.echo("echo: latency p99, ms", true, t -> t.latency().p99()),
                Metric.echo("echo: latency max, ms", true, t -> t.latency().max()),
                Metric.echo("echo: server CPU µs per round trip", true, t -> t.serverCpuMicrosPerRoundTrip()),
                Metric.echo("echo: generator CPU, % of a core", false, t -> t.generatorCpuPercent()),
                Metric.fanout(r + " members joining one room (" + s.fanout().handshakes() + " handshakes in flight), s", true,
                        t -> t.joinSeconds()),
                Metric.fanout("members closed while the room formed", false, t -> (double) t.closedWhileJoining()),
                Metric.fanout("server busy after the last join (presence), s", true, t -> t.settleSeconds()),
                Metric.fanout("sent to the members while the room formed, MiB", true, t -> t.joinMiB()),
                Metric.fanout("… generator CPU, % of a core", false, t -> t.joinGeneratorCpuPercent()),
                Metric.fanout("that room at " + rate + " msgs/s: delivered, %", true, t -> 100 * t.atRate().deliveredRatio()),
                Metric.fanout("… deliveries/s", true, t -> t.atRate().deliveriesPerSecond()),
                Metric.fanout("… latency p50, ms", true, t -> t.atRate().latency().p50()),
                Metric.fanout("… latency p99, ms", true, t -> t.atRate().latency().p99()),
                Metric.fanout("… latency max, ms", true, t -> t.atRate().latency().max()),
                Metric.fanout("… members closed", false, t -> (double) t.atRate().membersClosed()),
                Metric.fanout("… server CPU µs per delivery", true, t -> t.atRate().serverCpuMicrosPerDelivery()),
                Metric.fanout("… generator CPU, % of a core", false, t -> t.atRate().generatorCpuPercent()),
                Metric.fanout("highest rate the room sustains (≥ 99% delivered, p99 ≤ 1 s), msgs/s", true,
                        t -> t.highestSustainedRate()),
                Metric.connections(n + " idle connections: held", true, t -> (double) t.held()),
                Metric.connections("… failed handshakes", false, t -> (double) t.failed()),
                Metric.connections("resident memory per idle connection, KiB", true, t -> t.rssKiBPerConnection()),
                Metric.connections("server resident memory holding them, MiB", true, t -> t.rssAfterMiB()),
                Metric.connections("new connections/s (warm)", true, t -> t.connectionsPerSecond()),
                Metric.connections("… on the fresh server", true, t -> t.freshConnectionsPerSecond()),
                Metric.connections("… failed handshakes (warm)", false, t -> (double) t.warmFailed()),
                Metric.connections("server CPU µs per new connection (warm)", true, t -> t.serverCpuMicrosPerConnection()),
                Metric.connections("… generator CPU, % of a core", false, t -> t.generatorCpuPercent()));
    }

    /** The table in Markdown, ready for docs/PERFORMANCE.md. */
    String table() {
        List<String> names = new ArrayList<>(targets.keySet());
        boolean vsWs = names.contains(Target.OURS.label) && names.contains(Target.WS.label);
        boolean vsMemory = names.contains(Target.OURS.label) && names.contains(Target.OURS_MEMORY.label);
        StringBuilder out = new StringBuilder("| |");
        names.forEach(name -> out.append(" ").append(name).append(" |"));
        out.append(vsWs ? " ours / ws |" : "").append(vsMemory ? " SQLite / memory |" : "").append("\n|---|");
        names.forEach(name -> out.append("---:|"));
        out.append(vsWs ? "---:|" : "").append(vsMemory ? "---:|" : "").append("\n");
        for (Row row : rows) {
            out.append("| ").append(row.metric()).append(" |");
            names.forEach(name -> out.append(" ").append(number(row.values().get(name))).append(" |"));
            if (vsWs) {
                out.append(" ").append(row.ratio() == null ? "—" : String.format("%.2f×", row.ratio())).append(" |");
            }
            if (vsMemory) {
                out.append(" ").append(row.storeRatio() == null ? "—" : String.format("%.2f×", row.storeRatio())).append(" |");
            }
            out.append("\n");
        }
        return out.toString();
    }

    /** Notes per target: restarts, crashes, scenarios that could not run, rates where the generator may have been the limit. */
    String notes() {
        StringBuilder out = new StringBuilder();
        targets.forEach((name, result) -> {
            result.notes().forEach(note -> out.append(name).append(": ").append(note).append("\n"));
            if (result.fanout() != null) {
                List<FanOutScenario.Rate> rates = new ArrayList<>(result.fanout().steps());
                rates.add(0, result.fanout().atRate());
                rates.stream().filter(FanOutScenario.Rate::generatorBound).forEach(rate -> out.append(String.format(
                        "%s: at %s msgs/s the generator used %.0f%% of a core: the server may do more than measured%n",
                        name, number(rate.rate()), rate.generatorCpuPercent())));
            }
        });
        return out.toString();
    }

    Path write(Path dir, JsonMapper json) {
        try {
            Files.createDirectories(dir);
            String stamp = machine.date().replace(":", "").replace("-", "");
            Path file = dir.resolve("bench-" + stamp + ".json");
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
            Files.copy(file, dir.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String number(Double value) {
        if (value == null || value.isNaN()) {
            return "—";
        }
        double abs = Math.abs(value);
        if (abs >= 100 || value == Math.rint(value)) {
            return String.format("%,.0f", value);
        }
        return abs >= 10 ? String.format("%.1f", value) : String.format("%.2f", value);
    }

    private static String number(double value) {
        return number(Double.valueOf(value));
    }
}
