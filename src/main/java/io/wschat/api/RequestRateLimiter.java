package io.wschat.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a client address, an API key): {@code perSecond} requests with bursts
 * up to {@code burst}. The number of keys is bounded; when it is reached, keys whose bucket has
 * refilled completely are forgotten (they are indistinguishable from new ones), and if none
 * has, new keys are refused until one does.
 */
public final class RequestRateLimiter {

    private final double burst;
    private final double perNano;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RequestRateLimiter(double perSecond, double burst, int maxKeys) {
        this(perSecond, burst, maxKeys, System::nanoTime);
    }

    RequestRateLimiter(double perSecond, double burst, int maxKeys, LongSupplier nanoTime) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
    }

    /** Takes {@code tokens} from the key's bucket if it holds that many. */
    public boolean tryAcquire(String key, int tokens) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                long now = nanoTime.getAsLong();
                buckets.values().removeIf(b -> b.isFull(now));
                if (buckets.size() >= maxKeys) {
                    return false;
                }
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(nanoTime.getAsLong()));
        }
        return bucket.tryTake(tokens, nanoTime.getAsLong());
    }

    private final class Bucket {
        private double tokens = burst;
        private long last;

        Bucket(long now) {
            this.last = now;
        }

        synchronized boolean tryTake(int n, long now) {
            refill(now);
            if (tokens >= n) {
                tokens -= n;
                return true;
            }
            return false;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perNano);
                last = now;
            }
        }
    }
}
