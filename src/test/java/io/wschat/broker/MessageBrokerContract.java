package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.Broadcast;
import io.wschat.chat.ChatMessage;
import io.wschat.chat.Member;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.chat.ProtocolCodec;
import io.wschat.chat.ServerEvent;
import io.wschat.history.InMemoryMessageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link MessageBroker} must do (see its Javadoc). Each implementation's test class
 * extends this and says how to make a started broker; the store is the history every publisher
 * appends to before it publishes, as {@code ChatService} does.
 */
abstract class MessageBrokerContract {

    static final Duration REORDER_WAIT = Duration.ofMillis(100);
    static final Duration DEADLINE = Duration.ofSeconds(10);

    protected final MessageStore store = new InMemoryMessageStore(100_000, Clock.systemUTC());
    protected final ProtocolCodec codec = new ProtocolCodec(JsonMapper.builder().build(), 10_000);
    protected final List<Broadcast> received = new CopyOnWriteArrayList<>();
    protected MessageBroker broker;

    /**
     * A broker delivering to {@code listener}, started and ready to carry broadcasts, that reads
     * gaps from {@code store} after {@link #REORDER_WAIT}.
     */
    protected abstract MessageBroker createBroker(MessageStore store, ProtocolCodec codec, MessageBroker.Listener listener)
            throws Exception;

    /** Stops every broker {@link #createBroker} made. */
    protected abstract void closeBrokers() throws Exception;

    @BeforeEach
    void open() throws Exception {
        broker = createBroker(store, codec, received::add);
    }

    @AfterEach
    void close() throws Exception {
        closeBrokers();
    }

    protected ChatMessage append(String room, String text) {
        return store.append(new NewMessage(room, "id-1", "Alice", text, null, null)).message();
    }

    /** Stores a message and publishes it, as a member's send does. */
    protected Broadcast post(MessageBroker via, String room, String text) {
        Broadcast broadcast = codec.broadcast(append(room, text));
        via.publish(broadcast);
        return broadcast;
    }

    protected Broadcast event(String room, String who) {
        return new Broadcast(room, 0, codec.encode(new ServerEvent.Typing(room, new Member("id-" + who, who))));
    }

    /** Publishes an event without sequence, as typing and presence are. */
    protected Broadcast announce(MessageBroker via, String room, String who) {
        Broadcast broadcast = event(room, who);
        via.publish(broadcast);
        return broadcast;
    }

    protected static List<Long> seqs(List<Broadcast> broadcasts, String room) {
        return broadcasts.stream().filter(b -> b.room().equals(room) && b.sequenced()).map(Broadcast::seq).toList();
    }

    protected static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Publishes an event to a room of its own and waits for it: everything published before it has been handed over. */
    protected void flush(MessageBroker via, List<Broadcast> at) {
        via.subscribe("flush");
        Broadcast marker = event("flush", "marker-" + System.nanoTime());
        via.publish(marker);
        await().atMost(DEADLINE).until(() -> at.contains(marker));
    }

    @Test
    void shouldHandOverTheFrameExactlyAsPublished() {
        broker.subscribe("r");
        ChatMessage stored = store.append(new NewMessage("r", "id-1", "Zoë", "é😀 \"quoted\" \\ <b>", "c-1", null)).message();
        Broadcast published = codec.broadcast(stored);
        broker.publish(published);
        await().atMost(DEADLINE).until(() -> !received.isEmpty());
        assertThat(received).containsExactly(published);
    }

    @Test
    void shouldDeliverEachBroadcastOnceToTheListenerOfThePublishingInstance() {
        broker.subscribe("a");
        broker.subscribe("b");
        List<Broadcast> published = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            published.add(post(broker, i % 2 == 0 ? "a" : "b", "m" + i));
            published.add(announce(broker, i % 2 == 0 ? "a" : "b", "w" + i));
        }
        flush(broker, received);
        assertThat(received.stream().filter(b -> !b.room().equals("flush")).toList())
                .containsExactlyInAnyOrderElementsOf(published);
        assertThat(seqs(received, "a")).isEqualTo(range(1, 10));
        assertThat(seqs(received, "b")).isEqualTo(range(1, 10));
    }

    @Test
    void shouldDeliverARoomsMessagesInSequenceOrderWhenConcurrentPublishersRace() throws Exception {
        broker.subscribe("race");
        int publishers = 4;
        int each = 100;
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String name = "p" + p;
            running.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    post(broker, "race", name + "-" + i);
                }
            }));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> seqs(received, "race").size() >= publishers * each);
        flush(broker, received);
        assertThat(seqs(received, "race")).isEqualTo(range(1, publishers * each));
    }

    @Test
    void shouldReadADroppedMessageFromTheStoreAndEncodeItAsItsPublisherWould() {
        broker.subscribe("gap");
        Broadcast first = post(broker, "gap", "one");
        Broadcast dropped = codec.broadcast(append("gap", "stored, never published"));
        Broadcast third = post(broker, "gap", "three");
        await().atMost(DEADLINE).until(() -> received.size() == 3);
        assertThat(received).containsExactly(first, dropped, third);
    }

    @Test
    void shouldPassEventsWithoutSequenceAtOnceEvenWhileAMessageWaitsForItsPredecessor() {
        broker.subscribe("events");
        append("events", "late");
        Broadcast early = post(broker, "events", "early");
        Broadcast typing = event("events", "Bob");
        broker.publish(typing);
        await().atMost(DEADLINE).until(() -> received.contains(typing));
        await().atMost(DEADLINE).until(() -> received.contains(early));
        assertThat(received.indexOf(typing)).isLessThan(received.indexOf(early));
        assertThat(seqs(received, "events")).isEqualTo(range(1, 2));
    }

    @Test
    void shouldDeliverNothingOfARoomNotSubscribedOrNoLongerSubscribed() {
        broker.subscribe("kept");
        broker.subscribe("left");
        post(broker, "left", "while subscribed");
        post(broker, "never", "nobody here listens");
        broker.publish(event("never", "Bob"));
        flush(broker, received);
        broker.unsubscribe("left");
        post(broker, "left", "after unsubscribe");
        broker.publish(event("left", "Bob"));
        Broadcast kept = post(broker, "kept", "still delivered");
        await().atMost(DEADLINE).until(() -> received.contains(kept));
        flush(broker, received);
        assertThat(received.stream().filter(b -> !b.room().equals("flush")).toList())
                .extracting(Broadcast::room, Broadcast::seq)
                .containsExactly(tuple("left", 1L), tuple("kept", 1L));
    }

    @Test
    void shouldStartARoomAfterWhatWasStoredBeforeTheSubscription() {
        append("joined", "history the joiner reads itself");
        append("joined", "and more");
        broker.subscribe("joined");
        Broadcast live = post(broker, "joined", "live");
        await().atMost(DEADLINE).until(() -> !received.isEmpty());
        flush(broker, received);
        assertThat(seqs(received, "joined")).containsExactly(3L);
        assertThat(received).contains(live);
    }
}
