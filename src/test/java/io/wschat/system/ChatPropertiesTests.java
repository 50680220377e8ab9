package io.wschat.system;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ChatPropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ChatProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void shouldDefaultToTheDocumentedOutboundLimits() {
        runner.run(context -> {
            ChatProperties.Outbound outbound = context.getBean(ChatProperties.class).outbound();
            assertThat(outbound.bufferLimit().toMegabytes()).isEqualTo(1);
            assertThat(outbound.sendTimeLimit()).hasSeconds(10);
        });
    }

    @Test
    void shouldRefuseToStartWithASendTimeLimitTooShortToSendAnything() {
        runner.withPropertyValues("chat.outbound.send-time-limit=0s").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.outbound.send-time-limit"));
        runner.withPropertyValues("chat.outbound.send-time-limit=100ms").run(context ->
                assertThat(context).hasNotFailed());
    }
}
