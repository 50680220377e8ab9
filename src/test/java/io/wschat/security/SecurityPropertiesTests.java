package io.wschat.security;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityPropertiesTests {

    private static final String SECRET = "chat.security.jwt.secret=" + TokenCheckTests.SECRET;

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SecurityProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void tokensAreOffByDefaultWithAMinuteOfClockSkew() {
        runner.run(context -> {
            SecurityProperties.Jwt jwt = context.getBean(SecurityProperties.class).jwt();
            assertThat(jwt.hasSecret()).isFalse();
            assertThat(jwt.issuer()).isNull();
            assertThat(jwt.audience()).isNull();
            assertThat(jwt.clockSkew()).hasSeconds(60);
        });
    }

    @Test
    void issuerAndAudienceNeedTokensToBeOnAndMustNotBeBlank() {
        runner.withPropertyValues("chat.security.jwt.issuer=https://issuer.example").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.security.jwt.issuer is set but tokens are off"));
        runner.withPropertyValues("chat.security.jwt.audience=wschat").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.security.jwt.audience is set but tokens are off"));
        runner.withPropertyValues(SECRET, "chat.security.jwt.issuer= ").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.security.jwt.issuer must not be blank"));
        runner.withPropertyValues(SECRET, "chat.security.jwt.issuer=https://issuer.example", "chat.security.jwt.audience=wschat")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void clockSkewIsBounded() {
        runner.withPropertyValues(SECRET, "chat.security.jwt.clock-skew=10m").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.security.jwt.clock-skew must be between 0s and 5m"));
        runner.withPropertyValues(SECRET, "chat.security.jwt.clock-skew=-1s").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.security.jwt.clock-skew"));
    }
}
