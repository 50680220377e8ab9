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

    /**
     * How many members {@code room} has, without listing them: joins ask it, so it must stay
     * cheap in large rooms. May count members of a crashed instance until their entries expire.
     */
    int count(String room);

    /** Rooms with at least one member. */
    List<String> rooms();
}
