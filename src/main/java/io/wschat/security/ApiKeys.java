package io.wschat.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.wschat.api.ApiProperties;
import io.wschat.web.ApiException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The {@link RoutePolicy.Access#API_KEY} check: a request must carry one of the configured keys, and
 * each key is rate-limited. Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so
 * the time a comparison takes says nothing about how much of a key was right, nor how long it is.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final String API_KEY_HEADER = "X-API-Key";

    private final List<byte[]> keyDigests;
    private final RequestRateLimiter limiter;
    private final int requestsPerSecond;

    ApiKeys(ApiProperties properties) {
        this.keyDigests = properties.keys().stream().map(ApiKeys::sha256).toList();
        this.limiter = new RequestRateLimiter(properties.requestsPerSecond(), properties.burst(), Math.max(1, keyDigests.size()));
        this.requestsPerSecond = properties.requestsPerSecond();
        if (keyDigests.isEmpty()) {
            log.warn("the HTTP API (POST /api/rooms/{room}/messages, /api/jobs) is disabled: set chat.api.keys to enable it");
        } else {
            log.info("the HTTP API accepts {} key(s)", keyDigests.size());
        }
    }

    /** Returns which key the request carries (for limits and logs, never the key itself), or throws 401, 403 or 429. */
    public String authorize(HttpServletRequest request) {
        if (keyDigests.isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "api_disabled", "the HTTP API is disabled on this server: no chat.api.keys are configured");
        }
        String presented = presentedKey(request);
        int match = presented == null ? -1 : indexOf(sha256(presented));
        if (match < 0) {
            log.warn("API request {} {} from {} refused: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                    presented == null ? "no API key" : "wrong API key");
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        String keyId = "key#" + (match + 1);
        if (!limiter.tryAcquire(keyId)) {
            log.warn("API request {} {} from {} with {} refused: rate limit", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), keyId);
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "at most " + requestsPerSecond + " requests per second per API key");
        }
        return keyId;
    }

    private static String presentedKey(HttpServletRequest request) {
        String bearer = BearerToken.from(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null) {
            return bearer;
        }
        String apiKey = request.getHeader(API_KEY_HEADER);
        return apiKey == null ? null : apiKey.strip();
    }

    /** Compares against every key, without stopping at a match, so timing does not tell which one matched. */
    private int indexOf(byte[] digest) {
        int match = -1;
        for (int i = 0; i < keyDigests.size(); i++) {
            if (MessageDigest.isEqual(keyDigests.get(i), digest)) {
                match = i;
            }
        }
        return match;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
