package io.wschat.chat;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's members per room, and the last step of delivery: every broadcast the broker
 * hands over is queued, as encoded by its publisher, on each local member's connection.
 *
 * <p>Fan-out takes no lock of its own: it iterates the room's members as they were when it started
 * (an array replaced whole on every join and leave, so a member joining meanwhile may not be seen;
 * it then has the message in its history, which it reads after joining) and only queues frames,
 * which never waits on a socket. An array because a broadcast walks it once per member, joins are
 * rare next to that, and walking a concurrent set's table was 2% of a delivery's CPU in a
 * 1,010-member room (docs/PERFORMANCE.md).
 */
public final class RoomHub implements MessageBroker.Listener {

    private static final Logger log = LoggerFactory.getLogger(RoomHub.class);

    private static final ChatSession[] NONE = {};

    private final Map<String, ChatSession[]> rooms = new ConcurrentHashMap<>();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /** Adds a local member; true when it is the room's first one here. Called under the room's own lock (see {@link RoomLocks}). */
    boolean subscribe(String room, ChatSession session) {
        boolean[] first = {false};
        rooms.compute(room, (r, members) -> {
            if (members == null) {
                first[0] = true;
                return new ChatSession[] {session};
            }
            if (indexOf(members, session) >= 0) {
                return members;
            }
            ChatSession[] more = Arrays.copyOf(members, members.length + 1);
            more[members.length] = session;
            return more;
        });
        return first[0];
    }

    /** Removes a local member; true when it was the room's last one here. Called under the room's own lock (see {@link RoomLocks}). */
    boolean unsubscribe(String room, ChatSession session) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, members) -> {
            int at = indexOf(members, session);
            if (at < 0) {
                return members;
            }
            if (members.length == 1) {
                last[0] = true;
                return null;
            }
            ChatSession[] fewer = Arrays.copyOf(members, members.length - 1);
            System.arraycopy(members, at + 1, fewer, at, members.length - 1 - at);
            return fewer;
        });
        return last[0];
    }

    private static int indexOf(ChatSession[] members, ChatSession session) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == session) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void onBroadcast(Broadcast broadcast) {
        ChatSession[] members = rooms.getOrDefault(broadcast.room(), NONE);
        int delivered = 0;
        int refused = 0;
        for (ChatSession member : members) {
            if (deliverTo(member, broadcast)) {
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
    private static boolean deliverTo(ChatSession member, Broadcast event) {
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
        return rooms.values().stream().mapToInt(members -> members.length).sum();
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
