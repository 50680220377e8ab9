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
                registry.addInterceptor(new ApiTokenGuard(tokenCheck)).addPathPatterns("/api/rooms", "/api/rooms/**", "/api/games");
            }
        };
    }

    @Bean
    ConnectionLimits connectionLimits(LimitsProperties limits, HandshakeRefusal refusal) {
        return new ConnectionLimits(limits.connectionsPerAddress(), limits.maxConnections(), refusal);
    }

    @Bean
    SecurityHeadersFilter securityHeadersFilter() {
        return new SecurityHeadersFilter();
    }
}
