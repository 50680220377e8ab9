package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

import io.wschat.chat.Member;
import io.wschat.chat.Presence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Presence across instances: one Redis hash per room ({@code <prefix>presence:<room>}), member
 * id → who, on which instance, joined when.
 *
 * <p>An entry counts only while its instance's heartbeat key lives ({@link RedisBackplane}),
 * so the members of a crashed instance vanish from every list within the presence TTL, and
 * their entries are deleted by the next reader. Each heartbeat writes this instance's entries
 * again and extends the hashes of its rooms: entries lost in a Redis restart or flush come
 * back within a heartbeat, and a room whose instances all died expires as a whole. The
 * heartbeat thread never waits on the database, so a slow store cannot make this instance's
 * members vanish from other instances' lists.
 *
 * <p>This instance's own members are kept here too and are always listed from that copy:
 * while Redis is down the lists show the local members, and when it returns (possibly
 * emptied by a restart) the copy is written back and stale entries removed.
 */
final class RedisPresence implements Presence {

    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    /** {@code order} counts this instance's joins: members who joined in the same millisecond keep their order. */
    record Entry(String id, String name, String instance, long joined, long order) {
    }

    private final StringRedisTemplate redis;
    private final RedisBackplane backplane;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final String keyPrefix;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Map<String, Entry>> local = new ConcurrentHashMap<>();
    /** Rooms whose hash may hold this instance's entries, so they are cleaned after an outage. */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final AtomicLong joins = new AtomicLong();

    RedisPresence(StringRedisTemplate redis, RedisBackplane backplane, ObjectMapper mapper, BrokerProperties properties,
                  Clock clock) {
        this.redis = redis;
        this.backplane = backplane;
        this.writer = mapper.writerFor(Entry.class);
        this.reader = mapper.readerFor(Entry.class);
        this.keyPrefix = properties.prefix() + "presence:";
        this.ttl = properties.presenceTtl();
        this.clock = clock;
        backplane.onReconnect(this::rewrite);
        backplane.onHeartbeat(this::refresh);
    }

    @Override
    public void join(String room, Member member) {
        Entry entry = new Entry(member.id(), member.name(), backplane.instanceId(), clock.millis(), joins.incrementAndGet());
        local.compute(room, (r, members) -> {
            Map<String, Entry> updated = members == null ? new LinkedHashMap<>() : members;
            updated.put(member.id(), entry);
            return updated;
        });
        touched.add(room);
        backplane.run(() -> {
            redis.opsForHash().put(key(room), member.id(), writer.writeValueAsString(entry));
            redis.expire(key(room), ttl);
        });
    }

    @Override
    public void leave(String room, String memberId) {
        local.computeIfPresent(room, (r, members) -> {
            members.remove(memberId);
            return members.isEmpty() ? null : members;
        });
        boolean removed = backplane.call(() -> {
            redis.opsForHash().delete(key(room), memberId);
            return true;
        }, () -> false);
        if (removed && !local.containsKey(room)) {
            touched.remove(room);
        }
    }

    @Override
    public void rename(String room, Member member) {
        Entry[] renamed = new Entry[1];
        local.computeIfPresent(room, (r, members) -> {
            Entry old = members.get(member.id());
            if (old != null) {
                renamed[0] = new Entry(old.id(), member.name(), old.instance(), old.joined(), old.order());
                members.put(member.id(), renamed[0]);
            }
            return members;
        });
        if (renamed[0] != null) {
            backplane.run(() -> redis.opsForHash().put(key(room), member.id(), writer.writeValueAsString(renamed[0])));
        }
    }

    @Override
    public List<Member> members(String room) {
        List<Entry> entries = backplane.call(() -> clusterEntries(room), () -> localEntries(room));
        return entries.stream()
                .sorted(Comparator.comparingLong(Entry::joined).thenComparing(Entry::instance).thenComparingLong(Entry::order))
                .map(e -> new Member(e.id(), e.name()))
                .toList();
    }

    /** The hash's size: one round trip, but it includes a crashed instance's members until a listing removes them or they expire. */
    @Override
    public int count(String room) {
        return backplane.call(() -> Math.toIntExact(redis.opsForHash().size(key(room))), () -> localEntries(room).size());
    }

    @Override
    public List<String> rooms() {
        Set<String> rooms = new TreeSet<>(local.keySet());
        backplane.run(() -> {
            try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(keyPrefix + "*").count(1000).build())) {
                keys.forEachRemaining(key -> rooms.add(key.substring(keyPrefix.length())));
            }
        });
        return List.copyOf(rooms);
    }

    /** Other instances' live entries from Redis, this instance's from its own copy. */
    private List<Entry> clusterEntries(String room) {
        Map<Object, Object> raw = redis.opsForHash().entries(key(room));
        List<Entry> others = new ArrayList<>();
        for (Object value : raw.values()) {
            Entry entry = parse((String) value);
            if (entry != null && !entry.instance().equals(backplane.instanceId())) {
                others.add(entry);
            }
        }
        Set<String> instances = new HashSet<>();
        others.forEach(e -> instances.add(e.instance()));
        Set<String> alive = instances.isEmpty() ? Set.of() : backplane.alive(instances);
        List<Entry> result = localEntries(room);
        List<Object> dead = new ArrayList<>();
        for (Entry entry : others) {
            if (alive.contains(entry.instance())) {
                result.add(entry);
            } else {
                dead.add(entry.id());
            }
        }
        if (!dead.isEmpty()) {
            log.debug("room '{}': removing {} members of instances that stopped their heartbeat", room, dead.size());
            redis.opsForHash().delete(key(room), dead.toArray());
        }
        return result;
    }

    private List<Entry> localEntries(String room) {
        List<Entry> result = new ArrayList<>();
        local.computeIfPresent(room, (r, members) -> {
            result.addAll(members.values());
            return members;
        });
        return result;
    }

    /** After an outage: write this instance's members back and remove entries of members who left meanwhile. */
    private void rewrite() {
        for (String room : List.copyOf(touched)) {
            List<Entry> current = localEntries(room);
            Set<Object> keep = new HashSet<>();
            current.forEach(e -> keep.add(e.id()));
            List<Object> stale = new ArrayList<>();
            redis.opsForHash().entries(key(room)).forEach((id, value) -> {
                Entry entry = parse((String) value);
                if (entry != null && entry.instance().equals(backplane.instanceId()) && !keep.contains(id)) {
                    stale.add(id);
                }
            });
            if (!stale.isEmpty()) {
                redis.opsForHash().delete(key(room), stale.toArray());
            }
            if (current.isEmpty()) {
                touched.remove(room);
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            current.forEach(e -> values.put(e.id(), writer.writeValueAsString(e)));
            redis.opsForHash().putAll(key(room), values);
            redis.expire(key(room), ttl);
        }
        log.info("presence of instance '{}' written back to Redis ({} rooms)", backplane.instanceId(), local.size());
    }

    /**
     * Writes this instance's entries again and keeps their hashes from expiring, in one
     * pipeline. A member who left or was renamed while the pipeline was on its way may have
     * been written back with the old entry: the pass after it writes what holds now.
     */
    private void refresh() {
        Map<String, List<Entry>> snapshot = new LinkedHashMap<>();
        for (String room : List.copyOf(local.keySet())) {
            List<Entry> entries = localEntries(room);
            if (!entries.isEmpty()) {
                snapshot.put(room, entries);
            }
        }
        if (snapshot.isEmpty()) {
            return;
        }
        RedisSerializer<String> serializer = redis.getStringSerializer();
        redis.executePipelined((RedisCallback<Object>) connection -> {
            snapshot.forEach((room, entries) -> {
                byte[] key = serializer.serialize(key(room));
                Map<byte[], byte[]> values = new LinkedHashMap<>();
                entries.forEach(e -> values.put(serializer.serialize(e.id()), serializer.serialize(writer.writeValueAsString(e))));
                connection.hashCommands().hMSet(key, values);
                connection.keyCommands().pExpire(key, ttl.toMillis());
            });
            return null;
        });
        snapshot.forEach((room, entries) -> {
            for (Entry written : entries) {
                Entry now = localEntry(room, written.id());
                if (now == null) {
                    redis.opsForHash().delete(key(room), written.id());
                } else if (!now.equals(written)) {
                    redis.opsForHash().put(key(room), now.id(), writer.writeValueAsString(now));
                }
            }
        });
    }

    private Entry localEntry(String room, String id) {
        Entry[] found = new Entry[1];
        local.computeIfPresent(room, (r, members) -> {
            found[0] = members.get(id);
            return members;
        });
        return found[0];
    }

    private Entry parse(String json) {
        try {
            return reader.readValue(json);
        } catch (JacksonException e) {
            log.warn("ignored an unreadable presence entry: {}", e.getOriginalMessage());
            return null;
        }
    }

    private String key(String room) {
        return keyPrefix + room;
    }
}
