package io.wschat.history;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryPropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HistoryProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void shouldDefaultToJdbcWithDocumentedLimits() {
        runner.run(context -> {
            HistoryProperties properties = context.getBean(HistoryProperties.class);
            assertThat(properties.store()).isEqualTo(HistoryProperties.Store.JDBC);
            assertThat(properties.maxRecovery()).isEqualTo(1000);
            assertThat(properties.retention().maxCount()).isEqualTo(100_000);
            assertThat(properties.retention().maxAge().toDays()).isEqualTo(30);
            assertThat(properties.jdbc().queryTimeout()).hasSeconds(2);
            assertThat(properties.jdbc().writeQueue()).isEqualTo(10_000);
            assertThat(properties.jdbc().maxBatch()).isEqualTo(500);
        });
    }

    @Test
    void shouldRefuseToStartWithAMessageThatNamesTheProperty() {
        runner.withPropertyValues("chat.history.retention.max-age=0s").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.history.retention.max-age"));
        runner.withPropertyValues("chat.history.max-recovery=0").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("maxRecovery"));
        runner.withPropertyValues("chat.history.jdbc.query-timeout=500ms").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("chat.history.jdbc.query-timeout"));
        runner.withPropertyValues("chat.history.jdbc.write-queue=0").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("writeQueue"));
        runner.withPropertyValues("chat.history.store=mongo").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("chat.history.store"));
    }
}
