package io.wschat.websocket;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What happens to open connections when the server stops ({@code chat.shutdown.*}).
 *
 * @param drainTimeout how long queued frames may take to reach clients before every connection is closed with 1001 regardless
 */
@ConfigurationProperties("chat.shutdown")
@Validated
public record ShutdownProperties(@DefaultValue("5s") @NotNull Duration drainTimeout) {
}
