package io.wschat.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may open {@code /chat} ({@code chat.security.*}).
 *
 * @param allowedOrigins origin patterns a browser page may connect from, besides the server's own origin
 *                       ({@code [*]} stands for any port); a handshake with another {@code Origin} gets 403
 * @param jwt            token authentication; off unless a secret or a JWK set URI is set
 */
@ConfigurationProperties("chat.security")
@Validated
public record SecurityProperties(
        @DefaultValue({"http://localhost:[*]", "https://localhost:[*]", "http://127.0.0.1:[*]", "https://127.0.0.1:[*]"})
        @NotEmpty List<String> allowedOrigins,
        @DefaultValue @Valid Jwt jwt) {

    /** HS256 needs a key of at least 256 bits (RFC 7518 §3.2). */
    static final int MIN_SECRET_BYTES = 32;

    /**
     * Every token must carry {@code exp}; a connection opened with one is closed with 4003 when it
     * expires (at {@code exp + clockSkew}).
     *
     * @param secret    shared HS256 signing secret, at least 32 bytes; when set, {@code /chat} requires a valid token
     * @param jwkSetUri URI of a JWK set whose keys sign the tokens (for tokens from an identity provider)
     * @param issuer    when set, a token's {@code iss} must be exactly this
     * @param audience  when set, a token's {@code aud} must contain this
     * @param clockSkew how far the issuer's clock may differ from this server's, for {@code exp} and {@code nbf}
     */
    public record Jwt(String secret, URI jwkSetUri, String issuer, String audience,
                      @DefaultValue("60s") Duration clockSkew) {

        /** The most skew tolerated: beyond it a token would outlive its {@code exp} by longer than most tokens live. */
        static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

        public Jwt {
            if (hasSecret(secret) && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("chat.security.jwt.secret must be at least " + MIN_SECRET_BYTES
                        + " bytes for HS256; generate one with: openssl rand -base64 48");
            }
            if (hasSecret(secret) && jwkSetUri != null) {
                throw new IllegalArgumentException("set either chat.security.jwt.secret or chat.security.jwt.jwk-set-uri, not both");
            }
            boolean enabled = hasSecret(secret) || jwkSetUri != null;
            if (issuer != null && (issuer.isBlank() || !enabled)) {
                throw new IllegalArgumentException(issuer.isBlank() ? "chat.security.jwt.issuer must not be blank; leave it unset to accept any issuer"
                        : "chat.security.jwt.issuer is set but tokens are off: set chat.security.jwt.secret or chat.security.jwt.jwk-set-uri too");
            }
            if (audience != null && (audience.isBlank() || !enabled)) {
                throw new IllegalArgumentException(audience.isBlank() ? "chat.security.jwt.audience must not be blank; leave it unset to accept any audience"
                        : "chat.security.jwt.audience is set but tokens are off: set chat.security.jwt.secret or chat.security.jwt.jwk-set-uri too");
            }
            if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("chat.security.jwt.clock-skew must be between 0s and " + MAX_CLOCK_SKEW.toMinutes()
                        + "m, was " + clockSkew);
            }
        }

        boolean hasSecret() {
            return hasSecret(secret);
        }

        private static boolean hasSecret(String secret) {
            return secret != null && !secret.isEmpty();
        }
    }
}
