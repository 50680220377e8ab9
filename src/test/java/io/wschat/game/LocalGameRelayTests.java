package io.wschat.game;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The single instance's relay: the contract, and that it relays nothing. */
class LocalGameRelayTests extends GameRelayContract {

    private final LocalGameRelay relay = new LocalGameRelay();

    @Override
    protected GameRelay relay() {
        return relay;
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(3);
    }

    @Test
    void shouldNotBeSharedSoGamesSkipEveryRelayStep() {
        assertThat(relay.shared()).isFalse();
        assertThat(relay.lobby()).isEmpty();
    }
}
