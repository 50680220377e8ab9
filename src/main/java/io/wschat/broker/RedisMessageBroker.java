package io.wschat.broker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

import io.wschat.chat.Broadcast;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Room events over Redis pub/sub, one channel per room ({@code <prefix>room:<room>}).
 *
 * <p>Every instance, the publisher included, receives a room's events through its Redis
 * subscription and hands them to its own local members only; there is no local shortcut, so
 * each member gets each event exactly once. Publishing happens on one background thread
 * (ordered, bounded queue), so a slow Redis never holds a room's lock or a socket thread.
 * Received messages pass a {@link RoomSequencer}, which restores sequence order across
 * publishers and fetches gaps from the shared store.
 *
 * <p>The instance subscribes to the pattern {@code <prefix>room:*} once rather than to each
 * room as its first member arrives: behind a load balancer a busy room has members on every
 * instance anyway, a join then costs no Redis round trip, no event can slip by between a
 * subscribe and the member's history read, and after an outage there is one subscription to
 * restore. Events for rooms without local members are dropped by channel name, before parsing.
 * The frame travels as its publisher encoded it ({@link BrokerEnvelope}); no instance parses it.
 *
 * <p>While the link is down ({@link RedisBackplane}), or when a publish fails or its queue
 * is full, the event is delivered to local members directly and never sent to Redis, so it
 * cannot come back a second time. Messages stored meanwhile reach other instances when the
 * link returns: this instance announces each room's head seq and every instance catches up
 * from the store.
 */
final class RedisMessageBroker implements MessageBroker, MessageListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisMessageBroker.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final StringRedisTemplate redis;
    private final MessageStore store;
    private final RedisBackplane backplane;
    private final RoomSequencer sequencer;
    private final ThreadPoolExecutor publisher;
    private final ThreadPoolExecutor delivery;
    private final String channelPrefix;
    private final Clock clock;
    private final Timer publishLatency;
    private final Timer lag;
    private final Counter publishFallbacks;

    RedisMessageBroker(StringRedisTemplate redis, MessageStore store, RedisBackplane backplane, RoomSequencer sequencer,
                       BrokerProperties properties, Clock clock, BrokerMeters meters) {
        this.redis = redis;
        this.store = store;
        this.backplane = backplane;
        this.sequencer = sequencer;
        // One thread keeps this instance's publishes in order; a full queue makes an event local-only rather than block its caller.
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.publishQueue()),
                new CustomizableThreadFactory("redis-publish-"), new ThreadPoolExecutor.AbortPolicy());
        // Received events are handed over on one thread in the order Redis sent them (the listener container's default
        // executor starts a thread per message and loses that order). A full queue drops the event; the sequencer
        // recovers a dropped message from the store.
        this.delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.deliveryQueue()),
                new CustomizableThreadFactory("redis-deliver-"), (task, executor) -> meters.deliveryQueueFull().increment());
        this.channelPrefix = properties.prefix() + "room:";
        this.clock = clock;
        this.publishLatency = meters.publishLatency();
        this.lag = meters.lag();
        this.publishFallbacks = meters.publishFallbacks();
        // Reading the heads waits on the store: not on the heartbeat thread.
        backplane.onReconnect(() -> backplane.storeReader().execute(this::announceHeads));
        backplane.onReconnect(sequencer::catchUpAll);
    }

    Executor deliveryExecutor() {
        return delivery;
    }

    String channelPattern() {
        return channelPrefix + "*";
    }

    @Override
    public void start(Listener listener) {
        sequencer.start(listener);
    }

    @Override
    public void subscribe(String room) {
        sequencer.open(room);
    }

    @Override
    public void unsubscribe(String room) {
        sequencer.close(room);
    }

    @Override
    public void publish(Broadcast broadcast) {
        if (!backplane.isUp()) {
            deliverLocally(broadcast);
            return;
        }
        long publishedAt = clock.millis();
        try {
            publisher.execute(() -> send(broadcast, publishedAt));
        } catch (RejectedExecutionException e) {
            log.debug("publish queue full, delivering to local members only in room '{}'", broadcast.room());
            deliverLocally(broadcast);
        }
    }

    private void send(Broadcast broadcast, long publishedAt) {
        if (!backplane.isUp()) {
            deliverLocally(broadcast);
            return;
        }
        long start = System.nanoTime();
        try {
            redis.convertAndSend(channelPrefix + broadcast.room(),
                    BrokerEnvelope.of(backplane.instanceId(), publishedAt, broadcast).encode());
            publishLatency.record(Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            backplane.markDown(e);
            deliverLocally(broadcast);
        }
    }

    private void deliverLocally(Broadcast broadcast) {
        publishFallbacks.increment();
        sequencer.accept(broadcast);
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
        if (!channel.startsWith(channelPrefix)) {
            return;
        }
        String room = channel.substring(channelPrefix.length());
        if (!sequencer.isOpen(room)) {
            return;
        }
        BrokerEnvelope envelope;
        try {
            envelope = BrokerEnvelope.decode(message.getBody());
        } catch (IllegalArgumentException e) {
            // A message lost this way is read from the store when the room's next one reveals the gap.
            log.warn("dropped an unreadable event on channel '{}': {}", channel, e.getMessage());
            return;
        }
        if (envelope.isHead()) {
            sequencer.headAt(room, envelope.seq());
        } else {
            lag.record(Duration.ofMillis(Math.max(0, clock.millis() - envelope.publishedAt())));
            sequencer.accept(envelope.broadcast(room));
        }
    }

    /**
     * Publishes what is still queued before the connection goes away (beans that use the
     * Redis connection are closed before it), so a graceful shutdown loses no publish; each
     * Redis call is bounded by its timeout, and so is the wait.
     */
    @Override
    public void close() {
        publisher.shutdown();
        delivery.shutdown();
        int queued = publisher.getQueue().size();
        try {
            if (!publisher.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} events were still waiting to be published to Redis after {}; other instances read them from the store",
                        publisher.getQueue().size(), DRAIN_TIMEOUT);
                publisher.shutdownNow();
            } else if (queued > 0) {
                log.info("published the {} events still queued at shutdown", queued);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tells other instances how far each local room's history reaches, so they fetch what this one stored during the outage. */
    private void announceHeads() {
        for (String room : sequencer.openRooms()) {
            try {
                BrokerEnvelope head = BrokerEnvelope.head(backplane.instanceId(), clock.millis(), store.lastSeq(room));
                backplane.run(() -> redis.convertAndSend(channelPrefix + room, head.encode()));
            } catch (RuntimeException e) {
                log.warn("room '{}': could not read its head from the store to announce it: {}", room, e.toString());
            }
        }
    }
}
