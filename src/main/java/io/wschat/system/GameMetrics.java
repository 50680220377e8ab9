package io.wschat.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.wschat.game.GameMeters;

/** The games' meters: {@code game.tick} (p50/p99), {@code game.state.bytes{kind}}, {@code game.updates.conflated}, {@code game.inputs.refused{reason}}, {@code game.relay.states}, {@code game.relay.inputs}. */
final class GameMetrics implements GameMeters {

    private final MeterRegistry registry;
    private final Timer tick;
    private final DistributionSummary fullBytes;
    private final DistributionSummary deltaBytes;
    private final Counter conflated;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Counter statesRelayed;
    private final Counter inputsRelayed;

    GameMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.tick = Timer.builder("game.tick")
                .description("One tick of one game: simulation, encoding, queueing to its players")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.fullBytes = stateSize("full");
        this.deltaBytes = stateSize("delta");
        this.conflated = Counter.builder("game.updates.conflated")
                .description("State updates that replaced one a client had not been written yet")
                .register(registry);
        this.statesRelayed = Counter.builder("game.relay.states")
                .description("Tick states this instance published for players of its games on other instances")
                .register(registry);
        this.inputsRelayed = Counter.builder("game.relay.inputs")
                .description("Inputs of this instance's players forwarded to the instance running their game")
                .register(registry);
    }

    private DistributionSummary stateSize(String kind) {
        return DistributionSummary.builder("game.state.bytes")
                .description("Encoded state frames (once per tick and base, shared by the players with that base)")
                .baseUnit("bytes")
                .tag("kind", kind)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    @Override
    public void tick(long nanos) {
        tick.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void encoded(boolean full, int bytes) {
        (full ? fullBytes : deltaBytes).record(bytes);
    }

    @Override
    public void conflated() {
        conflated.increment();
    }

    @Override
    public void stateRelayed() {
        statesRelayed.increment();
    }

    @Override
    public void inputRelayed() {
        inputsRelayed.increment();
    }

    @Override
    public void inputRefused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("game.inputs.refused")
                .description("Game inputs the server refused, by reason")
                .tag("reason", r)
                .register(registry)).increment();
    }
}
