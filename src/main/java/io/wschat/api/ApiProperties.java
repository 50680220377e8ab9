package io.wschat.api;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP API for other systems ({@code chat.api.*}): publishing into rooms and room progress jobs.
 *
 * @param keys              accepted API keys, sent as {@code Authorization: Bearer <key>} or {@code X-API-Key};
 *                          none configured disables the API (403)
 * @param requestsPerSecond requests per second one key may make
 * @param burst             requests one key may make at once
 * @param maxDataSize       the largest {@code data} object a published message may carry, as JSON
 */
@ConfigurationProperties("chat.api")
@Validated
public record ApiProperties(
        @DefaultValue List<String> keys,
        @DefaultValue("10") @Min(1) int requestsPerSecond,
        @DefaultValue("20") @Min(1) int burst,
        @DefaultValue("16KB") @NotNull DataSize maxDataSize) {

    static final int MIN_KEY_LENGTH = 16;

    public ApiProperties {
        keys = keys == null ? List.of() : keys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        for (String key : keys) {
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("chat.api.keys: every key must be at least " + MIN_KEY_LENGTH
                        + " characters long; one has " + key.length() + " (generate one with: openssl rand -hex 24)");
            }
        }
    }
}
