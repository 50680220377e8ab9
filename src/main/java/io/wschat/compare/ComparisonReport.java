package io.wschat.compare;

import java.util.List;

/**
 * What one comparison measured: the same exchanges done three ways against one server.
 *
 * @param target       the server measured
 * @param exchanges    request/response exchanges per mode (after {@code warmup} unmeasured ones)
 * @param payloadBytes the size of each request's payload; the reply is the payload with a prefix
 * @param modes        HTTP/1.0 style, HTTP/1.1 keep-alive and WebSocket, in that order
 */
public record ComparisonReport(String target, int exchanges, int payloadBytes, int warmup, List<ModeResult> modes) {

    /**
     * @param connections       TCP connections opened for the measured exchanges
     * @param totalMillis       wall time for all exchanges, connection set-up included
     * @param medianMillis      the median exchange latency, from sending the request to the end of the reply
     * @param p99Millis         the 99th percentile latency
     * @param requestBytes      bytes sent per exchange: request line, headers and body, or the WebSocket frame
     * @param responseBytes     bytes received per exchange: status line, headers and body, or the WebSocket frame
     * @param bytesPerExchange  both directions together, set-up excluded
     * @param setupBytes        bytes spent once before the first exchange (the WebSocket opening handshake)
     */
    public record ModeResult(String mode, String title, int exchanges, int connections, double totalMillis,
                             double requestsPerSecond, double medianMillis, double p99Millis, double requestBytes,
                             double responseBytes, double bytesPerExchange, long setupBytes) {
    }
}
