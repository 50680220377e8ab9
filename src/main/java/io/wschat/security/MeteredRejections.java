package io.wschat.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wschat.chat.Rejections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs each rejection once at WARN and counts it in {@code chat.rejections{reason}}. */
@Component
public class MeteredRejections implements Rejections {

    static final String METER = "chat.rejections";

    private static final Logger log = LoggerFactory.getLogger(MeteredRejections.class);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MeteredRejections(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void reject(String sessionId, String remoteAddress, String reason) {
        if (sessionId == null) {
            log.warn("handshake from {} rejected: {}", remoteAddress, reason);
        } else {
            log.warn("session {} from {} rejected: {}", sessionId, remoteAddress, reason);
        }
        counters.computeIfAbsent(reason, r -> Counter.builder(METER)
                .description("Handshakes, frames and connections the server refused, by reason")
                .tag("reason", r)
                .register(registry)).increment();
    }
}
