package io.wschat.chat;

import java.util.List;

/**
 * Who is in which room, across every instance. Implementations are thread-safe;
 * {@link #members} lists members in the order they joined.
 */
public interface Presence {

    void join(String room, Member member);

    void leave(String room, String memberId);

    void rename(String room, Member member);

    List<Member> members(String room);

    /** Rooms with at least one member. */
    List<String> rooms();
}
