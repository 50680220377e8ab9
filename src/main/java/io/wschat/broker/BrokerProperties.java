package io.wschat.broker;

import java.time.Duration;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How room events and presence travel between instances ({@code chat.broker.*}).
 *
 * @param type              {@code local} (one instance, no Redis) or {@code redis} (several instances on a Redis backplane)
 * @param prefix            the start of every Redis key and channel the chat uses, so several deployments can share one Redis
 * @param instanceId        this instance's name in Redis; blank picks a random one at start
 * @param presenceTtl       how long an instance's members stay listed after its last heartbeat: the bound on how long a crashed instance's members linger
 * @param heartbeatInterval how often an instance renews its presence and checks its Redis link; at most half the TTL
 * @param reconnectInterval while Redis is unreachable, how often the instance tries to reconnect and checks whether its
 *                          link is back: the bound on how late cross-instance delivery resumes after Redis returns
 *                          (about twice this); a shorter heartbeat interval takes its place
 * @param positionCheckInterval how often an instance compares the head of each room it has members in with the store and
 *                          fetches what never arrived (a dropped publish, a publisher that crashed after storing): the
 *                          bound on how late such a message reaches members
 * @param reorderWait       how long a message that arrived before its predecessor waits for it before the gap is read from the history store
 * @param maxHeldPerRoom    early messages held per room; beyond that the gap is read from the store at once
 * @param publishQueue      events waiting to be published to Redis; when full, events are delivered locally only
 * @param deliveryQueue     events waiting for local delivery (received from Redis, or, with the local broker, per delivery shard); when full, events are dropped and messages later recovered from the store
 */
@ConfigurationProperties("chat.broker")
@Validated
public record BrokerProperties(
        @DefaultValue("local") @Pattern(regexp = "local|redis", message = "must be 'local' or 'redis'") String type,
        @DefaultValue("wschat:") @NotBlank String prefix,
        @DefaultValue("") @Pattern(regexp = "[A-Za-z0-9_.-]{0,64}", message = "may hold letters, digits, '_', '.', '-' (at most 64)") String instanceId,
        @DefaultValue("15s") @NotNull Duration presenceTtl,
        @DefaultValue("5s") @NotNull Duration heartbeatInterval,
        @DefaultValue("250ms") @NotNull Duration reconnectInterval,
        @DefaultValue("2s") @NotNull Duration positionCheckInterval,
        @DefaultValue("200ms") @NotNull Duration reorderWait,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxHeldPerRoom,
        @DefaultValue("10000") @Min(1) int publishQueue,
        @DefaultValue("10000") @Min(1) int deliveryQueue) {

    public BrokerProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = UUID.randomUUID().toString().substring(0, 8);
        }
        if (presenceTtl != null && heartbeatInterval != null) {
            if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
                throw new IllegalArgumentException("chat.broker.heartbeat-interval must be positive");
            }
            if (heartbeatInterval.multipliedBy(2).compareTo(presenceTtl) > 0) {
                throw new IllegalArgumentException("chat.broker.heartbeat-interval (" + heartbeatInterval
                        + ") must be at most half of chat.broker.presence-ttl (" + presenceTtl
                        + "), so one late heartbeat does not make a live instance's members vanish");
            }
            if (positionCheckInterval != null && (positionCheckInterval.compareTo(Duration.ofMillis(100)) < 0)) {
                throw new IllegalArgumentException("chat.broker.position-check-interval (" + positionCheckInterval
                        + ") must be at least 100ms: each check reads the head of every followed room from the store");
            }
            if (reconnectInterval != null && (reconnectInterval.isZero() || reconnectInterval.isNegative())) {
                throw new IllegalArgumentException("chat.broker.reconnect-interval must be positive, e.g. 250ms");
            }
        }
    }
}
