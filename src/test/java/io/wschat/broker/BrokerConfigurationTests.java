package io.wschat.broker;

import io.wschat.support.RunningApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broker settings that cannot work stop the application at start-up, saying what to fix. */
class BrokerConfigurationTests {

    private static void start(String... properties) {
        RunningApp.start(properties).close();
    }

    @Test
    void aHeartbeatSlowerThanHalfTheTtlIsRefused() {
        assertThatThrownBy(() -> start("chat.broker.heartbeat-interval=10s", "chat.broker.presence-ttl=15s"))
                .rootCause()
                .hasMessageContaining("chat.broker.heartbeat-interval (PT10S) must be at most half of chat.broker.presence-ttl (PT15S)");
    }

    @Test
    void anUnknownBrokerTypeIsRefused() {
        assertThatThrownBy(() -> start("chat.broker.type=kafka"))
                .hasStackTraceContaining("must be 'local' or 'redis'");
    }

    @Test
    void theRedisBrokerRefusesAHistoryOnlyThisInstanceSees() {
        assertThatThrownBy(() -> start("chat.broker.type=redis", "chat.history.store=memory"))
                .rootCause()
                .hasMessageContaining("chat.broker.type=redis needs a history store that all instances share");
    }
}
