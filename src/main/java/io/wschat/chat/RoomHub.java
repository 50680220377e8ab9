package io.wschat.chat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's members per room, and the last step of delivery: every event the broker
 * hands over is encoded once and queued on each local member's connection.
 */
public final class RoomHub implements MessageBroker.Listener {

    private static final Logger log = LoggerFactory.getLogger(RoomHub.class);

    /** An event of {@code room} with its wire form; {@code seq} is the message sequence, 0 for events that have none. */
    record Encoded(String room, String frame, long seq) {
    }

    private final Map<String, Set<ChatSession>> rooms = new ConcurrentHashMap<>();
    private final ProtocolCodec codec;
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public RoomHub(ProtocolCodec codec) {
        this.codec = codec;
    }

    /** Adds a local member; true when it is the room's first one here. Called under the room's lock. */
    boolean subscribe(String room, ChatSession session) {
        boolean[] first = {false};
        rooms.computeIfAbsent(room, r -> {
            first[0] = true;
            return ConcurrentHashMap.newKeySet();
        }).add(session);
        return first[0];
    }

    /** Removes a local member; true when it was the room's last one here. Called under the room's lock. */
    boolean unsubscribe(String room, ChatSession session) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, members) -> {
            if (!members.remove(session) || !members.isEmpty()) {
                return members;
            }
            last[0] = true;
            return null;
        });
        return last[0];
    }

    @Override
    public void onEvent(String room, ServerEvent event) {
        Set<ChatSession> members = rooms.get(room);
        if (members == null || members.isEmpty()) {
            return;
        }
        long seq = event instanceof ServerEvent.Message m ? m.seq() : 0;
        Encoded encoded = new Encoded(room, codec.encode(event), seq);
        int delivered = 0;
        int refused = 0;
        for (ChatSession member : members) {
            if (deliverTo(member, encoded)) {
                delivered++;
            } else {
                refused++;
            }
        }
        // Counted once per broadcast, not per recipient: the loop above is the hot path.
        deliveries.add(delivered);
        dropped.add(refused);
    }

    /**
     * One member's failure stays that member's: whatever its connection throws, it alone is closed
     * and the rest of the room still gets the event.
     */
    private static boolean deliverTo(ChatSession member, Encoded event) {
        try {
            return member.deliver(event);
        } catch (RuntimeException e) {
            log.warn("session {}: delivery failed, closing it: {}", member.id(), e.toString());
            member.connection().close(Disconnect.SERVER_ERROR);
            return false;
        }
    }

    boolean hasRoom(String room) {
        return rooms.containsKey(room);
    }

    public int localRooms() {
        return rooms.size();
    }

    public int localMembers() {
        return rooms.values().stream().mapToInt(Set::size).sum();
    }

    /** Events handed to local members' connections since start. */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Events a local member could not take (its buffer was full and it was closed as a slow consumer). */
    public long droppedDeliveries() {
        return dropped.sum();
    }
}
