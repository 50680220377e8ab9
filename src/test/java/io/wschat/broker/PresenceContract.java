package io.wschat.broker;

import java.util.List;

import io.wschat.chat.Member;
import io.wschat.chat.Presence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Presence} guarantees, run against each implementation. Changes go in
 * through {@link #subject}; what is listed is read through {@link #observer}, which for a
 * shared implementation is another instance, so the suite checks what other instances see.
 */
abstract class PresenceContract {

    protected Presence subject;
    protected Presence observer;

    /** A fresh, empty presence for this instance. */
    protected abstract Presence newPresence();

    /** Where the members are listed from: the subject itself, or another instance sharing its backend. */
    protected abstract Presence observerOf(Presence subject);

    @BeforeEach
    void freshPresence() {
        subject = newPresence();
        observer = observerOf(subject);
    }

    private static List<String> names(List<Member> members) {
        return members.stream().map(Member::name).toList();
    }

    @Test
    void membersAreListedInTheOrderTheyJoinedWhateverTheirIds() {
        subject.join("r", new Member("c", "Carol"));
        subject.join("r", new Member("a", "Alice"));
        subject.join("r", new Member("b", "Bob"));
        assertThat(names(observer.members("r"))).containsExactly("Carol", "Alice", "Bob");
        assertThat(observer.count("r")).isEqualTo(3);
    }

    @Test
    void aMemberWhoLeftIsNeitherListedNorCounted() {
        subject.join("r", new Member("a", "Alice"));
        subject.join("r", new Member("b", "Bob"));
        subject.leave("r", "a");
        assertThat(names(observer.members("r"))).containsExactly("Bob");
        assertThat(observer.count("r")).isEqualTo(1);
    }

    @Test
    void aRenamedMemberKeepsItsPlace() {
        subject.join("r", new Member("a", "Alice"));
        subject.join("r", new Member("b", "Bob"));
        subject.rename("r", new Member("a", "Alicia"));
        assertThat(observer.members("r")).containsExactly(new Member("a", "Alicia"), new Member("b", "Bob"));
    }

    @Test
    void roomsAreListedWhileTheyHaveMembers() {
        subject.join("one", new Member("a", "Alice"));
        subject.join("two", new Member("b", "Bob"));
        assertThat(observer.rooms()).containsExactlyInAnyOrder("one", "two");
        subject.leave("two", "b");
        assertThat(observer.rooms()).containsExactly("one");
        assertThat(observer.members("two")).isEmpty();
        assertThat(observer.count("two")).isZero();
    }

    @Test
    void roomsDoNotShareMembers() {
        subject.join("one", new Member("a", "Alice"));
        subject.join("two", new Member("b", "Bob"));
        assertThat(names(observer.members("one"))).containsExactly("Alice");
        assertThat(names(observer.members("two"))).containsExactly("Bob");
    }

    @Test
    void leavingOrRenamingSomeoneWhoIsNotThereChangesNothing() {
        subject.join("r", new Member("a", "Alice"));
        subject.leave("r", "nobody");
        subject.rename("r", new Member("nobody", "Ghost"));
        subject.leave("elsewhere", "a");
        subject.rename("elsewhere", new Member("a", "Ghost"));
        assertThat(observer.members("r")).containsExactly(new Member("a", "Alice"));
        assertThat(observer.members("elsewhere")).isEmpty();
        assertThat(observer.rooms()).containsExactly("r");
    }

    @Test
    void anEmptyPresenceListsNothing() {
        assertThat(observer.members("r")).isEmpty();
        assertThat(observer.count("r")).isZero();
        assertThat(observer.rooms()).isEmpty();
    }
}
