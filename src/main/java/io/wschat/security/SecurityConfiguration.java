package io.wschat.security;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

import io.wschat.chat.Rejections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
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
        JwtDecoder decoder = null;
        if (jwt.hasSecret()) {
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(jwt.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
            log.info("/chat requires a JWT signed with the configured HS256 secret");
        } else if (jwt.jwkSetUri() != null) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri().toString()).build();
            log.info("/chat requires a JWT signed by a key from {}", jwt.jwkSetUri());
        }
        return new TokenCheck(decoder, refusal);
    }

    /** Puts the read API behind the same token as {@code /chat}. */
    @Bean
    WebMvcConfigurer apiTokenGuard(TokenCheck tokenCheck) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new ApiTokenGuard(tokenCheck)).addPathPatterns("/api/rooms", "/api/rooms/**");
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
