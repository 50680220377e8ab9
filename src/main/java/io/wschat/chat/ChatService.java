package io.wschat.chat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat itself: joining rooms, sending, renaming, presence. Transport-agnostic; the
 * WebSocket layer turns sockets into {@link ClientConnection}s and frames into calls here.
 *
 * <p>A message is stored first, then published; the sender's own copy, coming back through
 * the broker like everyone else's, is its acknowledgement. A resend of a stored {@code cid}
 * is acknowledged to its sender alone and neither stored nor published again. Sending takes
 * no lock: the store hands out a room's sequence numbers in commit order, concurrent senders
 * may publish them out of order, and the broker restores the order on receipt (see
 * {@link MessageBroker}). Joins, leaves and renames of one room run under that room's own
 * lock ({@link RoomLocks}), never one that other rooms share.
 */
public final class ChatService {

    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    /** The {@code fromId} of messages published through the HTTP API; connection ids never look like this. */
    public static final String EXTERNAL_SENDER_ID = "api";

    private final MessageStore store;
    private final MessageBroker broker;
    private final RoomPublisher publisher;
    private final Presence presence;
    private final RoomHub hub;
    private final ProtocolCodec codec;
    private final ChatSettings settings;
    private final Clock clock;
    private final Rejections rejections;
    private final LiveUpdates live;
    private final RoomLocks roomLocks = new RoomLocks();
    private final PresenceBatches presenceEvents;
    private final LongAdder messagesIn = new LongAdder();

    /** {@code scheduler} sends the presence changes of large rooms that were gathered (see {@link PresenceBatches}). */
    public ChatService(MessageStore store, MessageBroker broker, RoomPublisher publisher, Presence presence, RoomHub hub,
                       ProtocolCodec codec, ChatSettings settings, Clock clock, Rejections rejections, LiveUpdates live,
                       ScheduledExecutorService scheduler) {
        this.store = store;
        this.broker = broker;
        this.publisher = publisher;
        this.presence = presence;
        this.hub = hub;
        this.codec = codec;
        this.settings = settings;
        this.clock = clock;
        this.rejections = rejections;
        this.live = live;
        this.presenceEvents = new PresenceBatches(publisher, roomLocks, scheduler, settings.presenceBatchAbove(),
                settings.presenceBatchWindow(), settings.welcomeMembers());
        broker.start(hub);
    }

    /**
     * Registers a new connection, puts it in {@code room} and sends its {@code welcome}. A name
     * that comes from the client's token ({@code nameFromToken}) cannot be changed with {@code nick}.
     * Returns null, and closes the connection with 1013, when the room or the server filled
     * up since the handshake checked with {@link #checkCanEnter}. When the store is unavailable
     * the session is returned in no room, after an {@code unavailable} error.
     */
    public ChatSession open(ClientConnection connection, String room, String name, boolean nameFromToken, Long since,
                            ServerEvent.Handshake handshake) {
        try {
            checkCanEnter(room);
        } catch (ProtocolException e) {
            rejections.reject(connection.id(), connection.remoteAddress(), e.code().code());
            connection.close(Disconnect.TRY_AGAIN_LATER);
            return null;
        }
        ChatSettings.Limits limits = settings.limits();
        RateLimit rateLimit = limits.messagesPerSecond() == 0 ? null
                : new RateLimit(clock, limits.messagesPerSecond(), limits.burst(), limits.maxDropped());
        ChatSession session = new ChatSession(connection, name, nameFromToken, handshake, settings.maxPendingDuringRecovery(),
                rateLimit);
        log.info("session {} connected from {} as '{}' to room '{}'", session.id(), connection.remoteAddress(), name, room);
        try {
            enter(session, room, since);
        } catch (StoreUnavailableException e) {
            // The connection stays open, in no room: the client retries with a join.
            log.warn("session {} could not enter room '{}': the message store is unavailable", session.id(), room);
            reject(session, ErrorCode.UNAVAILABLE.code());
            reply(session, ServerEvent.Error.of(ErrorCode.UNAVAILABLE, "could not enter room '" + room
                    + "': the message store is unavailable; send a join to try again"));
        }
        return session;
    }

    /**
     * Throws {@code room_full} or {@code too_many_rooms} when a client may not enter {@code room} now.
     * Checked before entering, not under the room's lock, so concurrent joins may pass a limit by a few.
     */
    public void checkCanEnter(String room) {
        ChatSettings.Limits limits = settings.limits();
        if (limits.maxMembersPerRoom() > 0 && presence.count(room) >= limits.maxMembersPerRoom()) {
            throw new ProtocolException(ErrorCode.ROOM_FULL, "room '" + room + "' is full: it has the maximum of "
                    + limits.maxMembersPerRoom() + " members");
        }
        if (limits.maxRooms() > 0 && !hub.hasRoom(room) && hub.localRooms() >= limits.maxRooms()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_ROOMS, "the server already holds the maximum of "
                    + limits.maxRooms() + " rooms; join an existing one");
        }
    }

    /**
     * Handles one text frame. A frame over the rate limit is dropped and answered with
     * {@code rate_limited}; protocol errors are answered with an {@code error} event.
     */
    public void onFrame(ChatSession session, String frame) {
        RateLimit.Verdict verdict = session.checkRate();
        if (verdict == RateLimit.Verdict.IGNORE) {
            return;
        }
        if (verdict == RateLimit.Verdict.DROP) {
            reject(session, ErrorCode.RATE_LIMITED.code());
            reply(session, ServerEvent.Error.of(ErrorCode.RATE_LIMITED, "more than " + settings.limits().messagesPerSecond()
                    + " messages per second; this one was dropped"));
            return;
        }
        if (verdict == RateLimit.Verdict.ABUSE) {
            reject(session, "rate_abuse");
            session.connection().close(Disconnect.RATE_ABUSE);
            return;
        }
        ClientCommand command = null;
        try {
            command = codec.decode(frame);
            handle(session, command);
        } catch (ProtocolException e) {
            // The exception's message may quote the frame, so only the code is reported.
            reject(session, e.code().code());
            reply(session, (command instanceof ClientCommand.SendMessage m ? e.about(m.cid()) : e).toEvent());
        } catch (StoreUnavailableException e) {
            // Nothing was stored or published; the client keeps its message and resends it (same cid) later.
            // The cause stays in the server's log: it may name database hosts.
            reject(session, ErrorCode.UNAVAILABLE.code());
            reply(session, new ServerEvent.Error(ErrorCode.UNAVAILABLE.code(),
                    "the message store is unavailable; nothing was stored, send it again later",
                    command instanceof ClientCommand.SendMessage m ? m.cid() : null));
        }
    }

    public void close(ChatSession session) {
        live.closed(session);
        String room = session.room();
        if (room != null) {
            leave(session, room);
        }
        log.info("session {} ('{}') disconnected from room '{}'", session.id(), session.name(), room);
    }

    private void handle(ChatSession session, ClientCommand command) {
        if (session.room() == null && !(command instanceof ClientCommand.Join || command instanceof ClientCommand.Ping
                || command instanceof ClientCommand.Live)) {
            throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "this connection is in no room (entering failed); send a join");
        }
        // Java 17: no pattern matching for switch yet.
        if (command instanceof ClientCommand.SendMessage m) {
            post(session, m);
        } else if (command instanceof ClientCommand.Join j) {
            if (!j.room().equals(session.room())) {
                checkCanEnter(j.room());
                if (session.room() != null) {
                    leave(session, session.room());
                }
            }
            enter(session, j.room(), j.since());
        } else if (command instanceof ClientCommand.History h) {
            sendHistory(session, h);
        } else if (command instanceof ClientCommand.Nick n) {
            rename(session, n.name());
        } else if (command instanceof ClientCommand.Members m) {
            sendMembers(session, m);
        } else if (command instanceof ClientCommand.Ping p) {
            reply(session, new ServerEvent.Pong(clock.millis(), p.id()));
        } else if (command instanceof ClientCommand.Typing) {
            publisher.publish(session.room(), new ServerEvent.Typing(session.room(), session.member()));
        } else if (command instanceof ClientCommand.Live l) {
            live.handle(session, l);
        }
    }

    /**
     * Publishes a message from another system into a room exactly like a member's: stored,
     * sequenced, delivered to every member on every instance. Throws {@link ProtocolException}
     * for an invalid room, name, text or {@code data}.
     */
    public ChatMessage publish(String room, String from, String text, Map<String, Object> data) {
        TextRule.requireJson("data", data);
        NewMessage message = new NewMessage(Names.room(room), EXTERNAL_SENDER_ID, Names.name(from),
                codec.text(text == null ? "" : text), null, data);
        ChatMessage stored = storeAndPublish(message);
        log.debug("external publisher '{}' posted seq {} to room '{}'", stored.from(), stored.seq(), room);
        return stored;
    }

    private void post(ChatSession session, ClientCommand.SendMessage command) {
        String room = session.room();
        MessageStore.Appended appended = store.append(
                new NewMessage(room, session.id(), session.name(), command.text(), command.cid(), null,
                        session.connection().clientKey()));
        ChatMessage stored = appended.message();
        if (appended.duplicate()) {
            // A resend after a reconnect: acknowledge it to the sender alone; everyone already has it.
            log.debug("session {} resent cid {} already stored as seq {} in room '{}'", session.id(), stored.cid(), stored.seq(), room);
            reply(session, ServerEvent.Message.ofDuplicate(stored));
            return;
        }
        messagesIn.increment();
        log.debug("session {} posted seq {} to room '{}'", session.id(), stored.seq(), room);
        publisher.publish(stored);
    }

    /** External publishes carry no cid, so their append is never a duplicate. */
    private ChatMessage storeAndPublish(NewMessage message) {
        ChatMessage stored = store.append(message).message();
        publisher.publish(stored);
        return stored;
    }

    /**
     * Puts the session in {@code room} and sends its {@code welcome}, all or nothing: when the store
     * or broker fails half-way, whatever was done is undone (the room is told the member left again)
     * and the session is in no room, so no ghost member counts against the caps or pins frames, and
     * the next joiner opens the room's subscription afresh.
     */
    private void enter(ChatSession session, String room, Long since) {
        // Subscribe before reading history: a message stored after the read is then surely
        // seen live, and one seen both ways is dropped by its sequence number. The room's lock
        // keeps a second joiner from reading its history before the first one's subscription is
        // open, and a last leaver from closing it under a new joiner.
        session.beginRecovery(room);
        boolean registered = false;
        try {
            List<Member> members = roomLocks.withLock(room, () -> register(session, room));
            registered = true;
            Recovery recovery = recover(room, since);
            int listed = Math.min(members.size(), settings.welcomeMembers());
            ServerEvent.Welcome welcome = new ServerEvent.Welcome(session.id(), session.name(), room,
                    List.copyOf(members.subList(0, listed)), members.size(), listed < members.size() ? Boolean.TRUE : null,
                    recovery.messages(), recovery.truncated() ? Boolean.TRUE : null,
                    recovery.truncated() ? recovery.firstSeq() : null, recovery.lastSeq(), clock.millis(),
                    session.handshake());
            session.endRecovery(codec.encode(welcome), recovery.lastSeq());
        } catch (RuntimeException e) {
            if (registered) {
                leave(session, room);
            }
            session.abandonRecovery();
            throw e;
        }
    }

    /** Joins the hub, the broker's subscription and presence, or none of them. Under the room's lock. */
    private List<Member> register(ChatSession session, String room) {
        if (hub.subscribe(room, session)) {
            try {
                broker.subscribe(room);
            } catch (RuntimeException e) {
                // Left in the hub, this member would make every later joiner skip the subscription.
                hub.unsubscribe(room, session);
                throw e;
            }
        }
        presence.join(room, session.member());
        List<Member> now = presence.members(room);
        presenceEvents.publish(room, ServerEvent.PresenceChange.of(room, "joined", session.member(), null, now.size()));
        return now;
    }

    /**
     * What a joining client gets: the latest messages, or those after {@code since}. {@code lastSeq}
     * is where live delivery takes over; reading the room's last sequence first makes that exact
     * even when the history read comes back empty.
     */
    private Recovery recover(String room, Long since) {
        long roomLastSeq = store.lastSeq(room);
        if (since != null && since > roomLastSeq) {
            // The client saw a history this store no longer has (reset, or another server): start afresh.
            log.info("a client asked room '{}' for messages after seq {}, but the room ends at seq {}; sending the latest",
                    room, since, roomLastSeq);
            since = null;
        }
        List<ChatMessage> found;
        if (since == null) {
            found = store.latest(room, settings.historyOnJoin());
        } else {
            found = store.after(room, since, settings.maxRecovery() + 1);
            if (found.size() > settings.maxRecovery()) {
                found = store.latest(room, settings.maxRecovery());
            }
        }
        long lastSeq = found.isEmpty() ? roomLastSeq : found.get(found.size() - 1).seq();
        List<ServerEvent.Message> sent = newestThatFit(found);
        long firstSeq = sent.isEmpty() ? lastSeq + 1 : sent.get(0).seq();
        return new Recovery(sent, since != null && firstSeq > since + 1, firstSeq, lastSeq);
    }

    private record Recovery(List<ServerEvent.Message> messages, boolean truncated, long firstSeq, long lastSeq) {
    }

    private void sendHistory(ChatSession session, ClientCommand.History command) {
        int limit = command.limit() == null ? Math.max(1, Math.min(settings.historyOnJoin(), settings.maxHistoryPage())) : command.limit();
        if (limit > settings.maxHistoryPage()) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'limit' may be at most " + settings.maxHistoryPage());
        }
        long before = command.before() == null ? Long.MAX_VALUE : command.before();
        List<ChatMessage> found = store.before(session.room(), before, limit + 1);
        boolean hasMore = found.size() > limit;
        if (hasMore) {
            found = found.subList(1, found.size());
        }
        List<ServerEvent.Message> sent = newestThatFit(found);
        reply(session, new ServerEvent.History(session.room(), sent, hasMore || sent.size() < found.size()));
    }

    /** The newest of {@code messages} whose frames fit in one event's budget, so a history never overflows a client's buffer. */
    private List<ServerEvent.Message> newestThatFit(List<ChatMessage> messages) {
        long budget = settings.maxHistoryChars();
        int first = messages.size();
        while (first > 0) {
            budget -= codec.encode(ServerEvent.Message.of(messages.get(first - 1))).length();
            if (budget < 0) {
                break;
            }
            first--;
        }
        return messages.subList(first, messages.size()).stream().map(ServerEvent.Message::of).toList();
    }

    /** A page of the member list, for rooms larger than a {@code welcome} lists. */
    private void sendMembers(ChatSession session, ClientCommand.Members command) {
        int limit = command.limit() == null ? settings.welcomeMembers() : command.limit();
        if (limit > settings.welcomeMembers()) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'limit' may be at most " + settings.welcomeMembers());
        }
        List<Member> members = presence.members(session.room());
        int from = Math.min(command.offset() == null ? 0 : command.offset(), members.size());
        int to = Math.min(members.size(), from + limit);
        reply(session, new ServerEvent.Members(session.room(), from, List.copyOf(members.subList(from, to)), members.size()));
    }

    private void leave(ChatSession session, String room) {
        roomLocks.withLock(room, () -> {
            if (hub.unsubscribe(room, session)) {
                broker.unsubscribe(room);
            }
            presence.leave(room, session.id());
            presenceEvents.publish(room, ServerEvent.PresenceChange.of(room, "left", session.member(), null, presence.count(room)));
        });
    }

    private void rename(ChatSession session, String name) {
        if (session.nameFromToken()) {
            throw new ProtocolException(ErrorCode.NAME_LOCKED, "your name comes from your token; it cannot be changed with nick");
        }
        String previous = session.name();
        if (previous.equals(name)) {
            return;
        }
        String room = session.room();
        roomLocks.withLock(room, () -> {
            session.rename(name);
            presence.rename(room, session.member());
            presenceEvents.publish(room, ServerEvent.PresenceChange.of(room, "renamed", session.member(), previous, presence.count(room)));
        });
        log.info("session {} renamed from '{}' to '{}' in room '{}'", session.id(), previous, name, room);
    }

    /** Chat messages accepted from this instance's clients since start. */
    public long messagesIn() {
        return messagesIn.sum();
    }

    private void reject(ChatSession session, String reason) {
        rejections.reject(session.id(), session.connection().remoteAddress(), reason);
    }

    private void reply(ChatSession session, ServerEvent event) {
        session.reply(codec.encode(event));
    }
}
