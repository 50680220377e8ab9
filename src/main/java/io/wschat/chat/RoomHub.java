package io.wschat.chat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's members per room, and the last step of delivery: every event the broker
 * hands over is encoded once and queued on each local member's connection.
 */
public final class RoomHub implements MessageBroker.Listener {

    /** An event of {@code room} with its wire form; {@code seq} is the message sequence, 0 for events that have none. */
    record Encoded(String room, String frame, long seq) {
    }

    private final Map<String, Set<ChatSession>> rooms = new ConcurrentHashMap<>();
    private final ProtocolCodec codec;

    public RoomHub(ProtocolCodec codec) {
        this.codec = codec;
    }

    void subscribe(String room, ChatSession session) {
        rooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void unsubscribe(String room, ChatSession session) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(session);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public void onEvent(String room, ServerEvent event) {
        Set<ChatSession> members = rooms.get(room);
        if (members == null || members.isEmpty()) {
            return;
        }
        long seq = event instanceof ServerEvent.Message m ? m.seq() : 0;
        Encoded encoded = new Encoded(room, codec.encode(event), seq);
        for (ChatSession member : members) {
            member.deliver(encoded);
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
}
