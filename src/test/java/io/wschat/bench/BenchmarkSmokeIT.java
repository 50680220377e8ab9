package io.wschat.bench;

import org.junit.jupiter.api.Test;

import io.wschat.bench.Report.TargetResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's smoke run, after {@code package}: the whole suite with tiny sizes against the
 * jar just built, forked as {@code bench/run} forks it. It asserts only that every scenario
 * produced numbers; how good they are is for the full run ({@code bench/run}, docs/PERFORMANCE.md).
 */
class BenchmarkSmokeIT {

    @Test
    void everyScenarioProducesNumbersAgainstOurJar() {
        BenchSettings settings = BenchSettings.parse(BenchSettings.SMOKE);

        Report report = Benchmark.run(settings, System.out);

        TargetResult ours = report.targets().get("ours");
        assertThat(ours.notes()).isEmpty();
        assertThat(ours.connections().opened()).isEqualTo(settings.connections().count());
        assertThat(ours.connections().warmOpened()).isEqualTo(settings.connections().count());
        assertThat(ours.connections().connectionsPerSecond()).isPositive();
        assertThat(ours.connections().freshConnectionsPerSecond()).isPositive();
        assertThat(ours.connections().rssAfterMiB()).isPositive();
        assertThat(ours.echo().roundTrips()).isPositive();
        assertThat(ours.echo().latency().p99()).isPositive();
        assertThat(ours.echo().serverCpuMicrosPerRoundTrip()).isNotNaN();
        assertThat(ours.fanout().joined()).isEqualTo(settings.fanout().members());
        assertThat(ours.fanout().atRate().delivered()).isPositive();
        assertThat(ours.fanout().atRate().latency().p50()).isPositive();
        assertThat(ours.fanout().steps()).isNotEmpty();
        assertThat(report.table()).contains("round trips/s", "deliveries/s", "resident memory per idle connection");
    }
}
