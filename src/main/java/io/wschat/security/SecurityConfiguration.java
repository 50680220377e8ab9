package io.wschat.security;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.wschat.api.ApiProperties;
import io.wschat.chat.Rejections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The handshake guards and the page's security headers, built from {@code chat.security} and {@code chat.limits}. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    HandshakeRefusal handshakeRefusal(Rejections rejections) {
        return new HandshakeRefusal(rejections);
    }

    @Bean
    OriginCheck originCheck(SecurityProperties properties, HandshakeRefusal refusal) {
        return new OriginCheck(properties.allowedOrigins(), refusal);
    }

    @Bean
    TokenCheck tokenCheck(SecurityProperties properties, HandshakeRefusal refusal) {
        SecurityProperties.Jwt jwt = properties.jwt();
        NimbusJwtDecoder decoder = null;
        if (jwt.hasSecret()) {
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(jwt.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
            log.info("/chat requires a JWT signed with the configured HS256 secret");
        } else if (jwt.jwkSetUri() != null) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri().toString()).build();
            log.info("/chat requires a JWT signed by a key from {}", jwt.jwkSetUri());
        }
        if (decoder != null) {
            decoder.setJwtValidator(validator(jwt));
        }
        return new TokenCheck(decoder, jwt.clockSkew(), refusal);
    }

    /**
     * What makes a well-signed token acceptable: it has an {@code exp} that has not passed (a token
     * without one would be valid forever), and the configured issuer and audience, if any.
     */
    private static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt jwt) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(jwt.clockSkew());
        timestamps.setAllowEmptyExpiryClaim(false);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(timestamps));
        if (jwt.issuer() != null) {
            validators.add(new JwtIssuerValidator(jwt.issuer()));
            log.info("tokens must be issued by '{}'", jwt.issuer());
        }
        if (jwt.audience() != null) {
            validators.add(new JwtAudienceValidator(jwt.audience()));
            log.info("tokens must be meant for the audience '{}'", jwt.audience());
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    @Bean
    ApiKeys apiKeys(ApiProperties properties) {
        return new ApiKeys(properties);
    }

    /** {@link RoutePolicy} in front of every Spring MVC handler: controllers, the error page, static assets. */
    @Bean
    WebMvcConfigurer routeAccess(TokenCheck tokenCheck, ApiKeys apiKeys) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new RouteAccessInterceptor(tokenCheck, apiKeys));
            }
        };
    }

    @Bean
    ConnectionLimits connectionLimits(LimitsProperties limits, HandshakeRefusal refusal) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        LimitsProperties.Heap heap = limits.heap();
        long heapCap = heap.connectionsFor(maxHeap);
        if (heapCap < 1) {
            throw new IllegalStateException("a heap of " + maxHeap / (1024 * 1024) + " MB holds no WebSocket connection with "
                    + "chat.limits.heap.reserved=" + heap.reserved() + ", chat.limits.heap.headroom-percent=" + heap.headroomPercent()
                    + " and chat.limits.heap.per-connection=" + heap.perConnection()
                    + ": give the JVM more heap (-Xmx) or lower these");
        }
        int total = (int) Math.min(Integer.MAX_VALUE, heapCap);
        if (limits.maxConnections() > 0 && limits.maxConnections() < total) {
            total = limits.maxConnections();
            log.info("at most {} WebSocket connections (chat.limits.max-connections; the heap of {} MB would hold {})",
                    total, maxHeap / (1024 * 1024), heapCap);
        } else {
            log.info("at most {} WebSocket connections: what a heap of {} MB holds at {} each, with {} reserved and {}% headroom",
                    total, maxHeap / (1024 * 1024), heap.perConnection().toKilobytes() + " KB",
                    heap.reserved().toMegabytes() + " MB", heap.headroomPercent());
        }
        return new ConnectionLimits(limits.connectionsPerAddress(), total, limits.echo().maxConnections(), refusal);
    }

    @Bean
    SecurityHeadersFilter securityHeadersFilter() {
        return new SecurityHeadersFilter();
    }
}
