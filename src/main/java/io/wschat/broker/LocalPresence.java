package io.wschat.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.wschat.chat.Member;
import io.wschat.chat.Presence;

/** Presence for a single instance, kept in memory. */
public final class LocalPresence implements Presence {

    private final Map<String, Map<String, Member>> rooms = new ConcurrentHashMap<>();

    @Override
    public void join(String room, Member member) {
        rooms.compute(room, (r, members) -> {
            Map<String, Member> updated = members == null ? new LinkedHashMap<>() : members;
            updated.put(member.id(), member);
            return updated;
        });
    }

    @Override
    public void leave(String room, String memberId) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(memberId);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public void rename(String room, Member member) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.replace(member.id(), member);
            return members;
        });
    }

    @Override
    public List<Member> members(String room) {
        List<Member> result = new ArrayList<>();
        rooms.computeIfPresent(room, (r, members) -> {
            result.addAll(members.values());
            return members;
        });
        return result;
    }

    @Override
    public int count(String room) {
        int[] count = {0};
        rooms.computeIfPresent(room, (r, members) -> {
            count[0] = members.size();
            return members;
        });
        return count[0];
    }

    @Override
    public List<String> rooms() {
        return List.copyOf(rooms.keySet());
    }
}
