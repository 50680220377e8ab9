package io.wschat.compare;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import jakarta.servlet.http.HttpServletRequest;

import io.wschat.security.RequestRateLimiter;
import io.wschat.web.Problems;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP side of the comparison: an echo as small as {@code /echo}'s, and a way for the page
 * to have the server run the comparison against itself over loopback (a browser cannot open
 * raw connections or send {@code Connection: close}). Both are rate-limited per client address.
 */
@RestController
@RequestMapping("/api/compare")
class CompareController {

    private static final Logger log = LoggerFactory.getLogger(CompareController.class);
    private static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final CompareProperties properties;
    private final ComparisonRunner runner;
    private final RequestRateLimiter echoLimiter;
    private final RequestRateLimiter runLimiter;
    /** One run at a time: a run saturates a core, and concurrent runs would only measure each other. */
    private final Semaphore running = new Semaphore(1);

    CompareController(CompareProperties properties) {
        this.properties = properties;
        this.runner = new ComparisonRunner(properties.timeout());
        this.echoLimiter = new RequestRateLimiter(properties.echoRequestsPerSecond(), properties.echoBurst(), MAX_TRACKED_ADDRESSES);
        this.runLimiter = new RequestRateLimiter(properties.runsPerMinute() / 60.0, properties.runsPerMinute(), MAX_TRACKED_ADDRESSES);
    }

    @GetMapping("/echo")
    ResponseEntity<?> echo(@RequestParam(defaultValue = "") String payload, HttpServletRequest request) {
        if (!echoLimiter.tryAcquire(request.getRemoteAddr())) {
            log.warn("compare echo from {} refused: rate limit", request.getRemoteAddr());
            return Problems.tooManyRequests("at most " + properties.echoRequestsPerSecond() + " echo requests per second", 1);
        }
        if (payload.length() > properties.maxPayloadBytes()) {
            return Problems.of(HttpStatus.BAD_REQUEST, "payload_too_long",
                    "payload is " + payload.length() + " characters; the limit is " + properties.maxPayloadBytes());
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(ComparisonRunner.REPLY_PREFIX + payload);
    }

    @PostMapping("/runs")
    ResponseEntity<?> run(@RequestParam(defaultValue = "200") int exchanges, @RequestParam(defaultValue = "32") int payloadBytes,
                          HttpServletRequest request) throws InterruptedException {
        if (exchanges < 1 || exchanges > properties.maxExchanges()) {
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid_exchanges",
                    "exchanges must be between 1 and " + properties.maxExchanges() + ", was " + exchanges);
        }
        if (payloadBytes < 1 || payloadBytes > properties.maxPayloadBytes()) {
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid_payload_bytes",
                    "payloadBytes must be between 1 and " + properties.maxPayloadBytes() + ", was " + payloadBytes);
        }
        String client = request.getRemoteAddr();
        if (!runLimiter.tryAcquire(client)) {
            log.warn("comparison run from {} refused: rate limit", client);
            return Problems.tooManyRequests("at most " + properties.runsPerMinute() + " comparison runs per minute", 10);
        }
        if (!running.tryAcquire()) {
            log.warn("comparison run from {} refused: another run is in progress", client);
            return Problems.tooManyRequests("another comparison is running; try again in a few seconds", 2);
        }
        try {
            log.info("comparison run for {}: {} exchanges of {} bytes per mode", client, exchanges, payloadBytes);
            // Loopback through the very address and port this request arrived on, so it reaches this server whatever it binds to.
            return ResponseEntity.ok(runner.run(request.getLocalAddr(), request.getLocalPort(), exchanges, payloadBytes,
                    properties.warmup()));
        } catch (IOException e) {
            log.warn("comparison run for {} failed: {}", client, e.getMessage());
            return Problems.of(HttpStatus.BAD_GATEWAY, "comparison_failed", "the comparison failed: " + e.getMessage());
        } finally {
            running.release();
        }
    }
}
