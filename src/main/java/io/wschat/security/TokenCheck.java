package io.wschat.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.wschat.chat.Names;
import io.wschat.chat.ProtocolException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * When a JWT decoder is configured, a {@code /chat} handshake must carry a valid token, as
 * {@code Authorization: Bearer} or, since browsers cannot set headers on a WebSocket, as the
 * {@code access_token} query parameter. A missing, bad or expired token, one without {@code exp},
 * or one whose {@code iss} or {@code aud} is not the configured one gets 401 (the decoder's validators
 * decide). The token's {@code name} claim, or else its subject, becomes the display name, and the
 * moment the token stops being valid is kept for the connection, which must not outlive it.
 */
public final class TokenCheck implements HandshakeInterceptor {

    /** Session attribute holding the display name taken from the token. */
    public static final String AUTHENTICATED_NAME = TokenCheck.class.getName() + ".name";
    /** Session attribute holding the {@link Instant} the token stops being valid: its {@code exp} plus the clock skew. */
    public static final String VALID_UNTIL = TokenCheck.class.getName() + ".validUntil";
    /** Session attribute holding the verified token's subject: who the client is, across its connections. */
    public static final String AUTHENTICATED_SUBJECT = TokenCheck.class.getName() + ".subject";

    /** Null when authentication is off. */
    private final JwtDecoder decoder;
    private final Duration clockSkew;
    private final HandshakeRefusal refusal;

    TokenCheck(JwtDecoder decoder, Duration clockSkew, HandshakeRefusal refusal) {
        this.decoder = decoder;
        this.clockSkew = clockSkew;
        this.refusal = refusal;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        if (decoder == null) {
            return true;
        }
        String token = token(request);
        if (token == null) {
            return unauthorized(request, response, "token_missing",
                    "a token is required: pass it as ?access_token= or as Authorization: Bearer");
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException e) {
            return unauthorized(request, response, "token_invalid", "the token was refused: " + e.getMessage());
        }
        try {
            attributes.put(AUTHENTICATED_NAME, displayName(jwt));
            // The decoder refuses tokens without exp, so there always is one.
            attributes.put(VALID_UNTIL, jwt.getExpiresAt().plus(clockSkew));
            if (jwt.getSubject() != null) {
                attributes.put(AUTHENTICATED_SUBJECT, jwt.getSubject());
            }
            return true;
        } catch (ProtocolException e) {
            return refusal.refuse(request, response, HttpStatus.BAD_REQUEST, e.code().code(),
                    "the token's name claim or subject is not a usable display name: " + e.getMessage());
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }

    private boolean unauthorized(ServerHttpRequest request, ServerHttpResponse response, String reason, String message) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        return refusal.refuse(request, response, HttpStatus.UNAUTHORIZED, reason, message);
    }

    private static String token(ServerHttpRequest request) {
        String bearer = BearerToken.from(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (bearer != null) {
            return bearer;
        }
        String query = UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams().getFirst("access_token");
        return query == null || query.isEmpty() ? null : UriUtils.decode(query, StandardCharsets.UTF_8);
    }

    private static String displayName(Jwt jwt) {
        String name = jwt.getClaimAsString("name");
        if (name != null) {
            try {
                return Names.name(name);
            } catch (ProtocolException e) {
                // not usable as a display name; the subject may be
            }
        }
        return Names.name(jwt.getSubject());
    }
}
