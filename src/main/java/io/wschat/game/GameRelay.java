package io.wschat.game;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * How games reach players on other instances (docs/SCALING.md, "Games across instances"). A
 * game runs on one instance at a time, its owner, which holds a lease on it; other instances
 * with players in it keep a mirror: they forward their players' joins, inputs and leaves to the
 * owner, and the owner publishes each tick's state and each must-not-lose event to them. The
 * messages are opaque bytes here ({@link RelayCodec} writes and reads them), so an adapter only
 * moves them.
 *
 * <p>Guarantees an adapter gives: messages from one instance on one channel arrive in the order
 * they were sent, at most once; a message may be lost (the link is down, a queue is full), and
 * no call waits for the network longer than the adapter's command timeout. Sends never wait.
 *
 * <p>{@link LocalGameRelay} is the single instance: it owns every game, and nothing is relayed.
 */
public interface GameRelay {

    /** This instance's name among those sharing games. */
    String instanceId();

    /** False when no other instance can exist: the games then skip every relay step. */
    boolean shared();

    /**
     * Takes the lease on {@code game} for {@code lease} if nobody holds it; returns the instance holding it now
     * (this one's id when it took it or already held it), or null when that cannot be known
     * (the shared store unreachable): the caller then runs the game itself.
     */
    String claim(String game, Duration lease);

    /**
     * Renews this instance's lease on {@code game} for {@code lease} (taking it again if it lapsed and nobody else
     * took it) and lists the game in the lobby as {@code info}. False only when another instance
     * holds the game now; true when the store is unreachable, so a game goes on for its local
     * players through an outage.
     */
    boolean renew(String game, GameInfo info, Duration lease);

    /** Gives up the lease on {@code game} and takes it out of the lobby, if this instance holds it. */
    void release(String game);

    /** Owner to mirrors: a message for every instance that mirrors {@code game}. */
    void toMirrors(String game, byte[] message);

    /** Mirror to owner: a message for the instance that runs {@code game}. */
    void toOwner(String game, byte[] message);

    /** Every listed game of every instance; empty when the store is unreachable. */
    List<GameInfo> lobby();

    /** Which of these instances are alive; all of them when that cannot be known. */
    Set<String> alive(Collection<String> instanceIds);

    /** Where received messages go; called once, before any message can arrive. */
    void listen(Listener listener);

    /** Receives relayed messages, on the adapter's delivery thread; must not block. */
    interface Listener {

        /** A message an owner published for the mirrors of {@code game}. */
        void fromOwner(String game, byte[] message);

        /** A message a mirror sent the owner of {@code game}. */
        void fromMirror(String game, byte[] message);
    }
}
