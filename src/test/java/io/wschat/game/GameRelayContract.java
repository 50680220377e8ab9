package io.wschat.game;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link GameRelay} guarantees to one instance on its own, whichever adapter: the
 * first claim makes it the owner, the owner keeps its game while it renews, and it counts itself
 * alive. Subclasses add what several instances see.
 */
public abstract class GameRelayContract {

    /** The relay of one instance; closed by the subclass after each test. */
    protected abstract GameRelay relay();

    protected abstract Duration lease();

    @Test
    void shouldMakeTheFirstClaimantTheOwnerAndKeepItSoWhileItRenews() {
        GameRelay relay = relay();
        assertThat(relay.claim("solo", lease())).isEqualTo(relay.instanceId());
        assertThat(relay.claim("solo", lease())).isEqualTo(relay.instanceId());
        assertThat(relay.renew("solo", new GameInfo("solo", List.of("ann"), 1, false, 60, 1), lease())).isTrue();
        assertThat(relay.claim("solo", lease())).isEqualTo(relay.instanceId());
    }

    @Test
    void shouldCountItselfAlive() {
        GameRelay relay = relay();
        assertThat(relay.alive(Set.of(relay.instanceId()))).containsExactly(relay.instanceId());
    }
}
