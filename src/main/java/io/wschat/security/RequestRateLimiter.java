package io.wschat.security;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.wschat.chat.TokenBucket;

/**
 * A {@link TokenBucket} per key (a client address, an API key): {@code perSecond} requests with bursts
 * up to {@code burst}. The number of keys is bounded; when it is reached, keys whose bucket has
 * refilled completely are forgotten (they are indistinguishable from new ones), and if none
 * has, new keys are refused until one does.
 */
public final class RequestRateLimiter {

    private final double perSecond;
    private final double burst;
    private final int maxKeys;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RequestRateLimiter(double perSecond, double burst, int maxKeys) {
        this(perSecond, burst, maxKeys, Clock.systemUTC());
    }

    RequestRateLimiter(double perSecond, double burst, int maxKeys, Clock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Takes one request from the key's bucket if it holds one. */
    public boolean tryAcquire(String key) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                buckets.values().removeIf(RequestRateLimiter::isFull);
                if (buckets.size() >= maxKeys) {
                    return false;
                }
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(clock, perSecond, burst));
        }
        // A bucket is not thread-safe, and requests with the same key may arrive on several threads at once.
        synchronized (bucket) {
            return bucket.tryTake();
        }
    }

    private static boolean isFull(TokenBucket bucket) {
        synchronized (bucket) {
            return bucket.isFull();
        }
    }
}
