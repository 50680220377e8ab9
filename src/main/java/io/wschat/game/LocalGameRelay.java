package io.wschat.game;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** One instance on its own: it owns every game and has nobody to relay to. */
public final class LocalGameRelay implements GameRelay {

    private static final String INSTANCE = "local";

    @Override
    public String instanceId() {
        return INSTANCE;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String claim(String game, Duration lease) {
        return INSTANCE;
    }

    @Override
    public boolean renew(String game, GameInfo info, Duration lease) {
        return true;
    }

    @Override
    public void release(String game) {
    }

    @Override
    public void toMirrors(String game, byte[] message) {
    }

    @Override
    public void toOwner(String game, byte[] message) {
    }

    @Override
    public List<GameInfo> lobby() {
        return List.of();
    }

    @Override
    public Set<String> alive(Collection<String> instanceIds) {
        return Set.copyOf(instanceIds);
    }

    @Override
    public void listen(Listener listener) {
    }
}
