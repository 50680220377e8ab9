package io.wschat.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code java -jar wschat.jar compare [--url=http://localhost:8080] [--exchanges=500] [--payload-bytes=32] [--warmup=200]}:
 * runs the comparison from this machine against a running server and prints a table.
 * The warm-up lets both JVMs compile the hot paths first; without it the first mode measured pays for that.
 * The server's rate limits apply ({@code chat.compare.echo-burst}), as they would to any client.
 */
public final class ComparisonCommand {

    private static final String USAGE = "usage: java -jar wschat.jar compare [--url=http://localhost:8080]"
            + " [--exchanges=500] [--payload-bytes=32] [--warmup=200]";

    private ComparisonCommand() {
    }

    /** Returns the process exit status: 0 done, 1 the comparison failed, 2 bad arguments. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        URI url = URI.create("http://localhost:8080");
        int exchanges = 500;
        int payloadBytes = 32;
        int warmup = 200;
        try {
            for (String arg : args) {
                String value = arg.substring(arg.indexOf('=') + 1);
                if (arg.startsWith("--url=")) {
                    url = URI.create(value);
                } else if (arg.startsWith("--exchanges=")) {
                    exchanges = atLeast(value, "exchanges", 1);
                } else if (arg.startsWith("--payload-bytes=")) {
                    payloadBytes = atLeast(value, "payload-bytes", 1);
                } else if (arg.startsWith("--warmup=")) {
                    warmup = atLeast(value, "warmup", 0);
                } else {
                    throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            if (!"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("--url must be http://host:port (the runner speaks plain HTTP and ws)");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        try {
            ComparisonReport report = new ComparisonRunner(Duration.ofSeconds(10)).run(url.getHost(), port, exchanges, payloadBytes, warmup);
            print(report, out);
            return 0;
        } catch (IOException e) {
            err.println("comparison failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static void print(ComparisonReport report, PrintStream out) {
        out.printf(Locale.ROOT, "%d exchanges per mode with a %d-byte payload against %s (after %d warm-up exchanges per mode)%n%n",
                report.exchanges(), report.payloadBytes(), report.target(), report.warmup());
        out.printf(Locale.ROOT, "%-10s %11s %10s %9s %10s %9s %22s %7s%n",
                "mode", "connections", "total ms", "req/s", "median ms", "p99 ms", "bytes/exchange (out+in)", "setup");
        for (ComparisonReport.ModeResult m : report.modes()) {
            out.printf(Locale.ROOT, "%-10s %11d %10.1f %9.0f %10.3f %9.3f %22s %7d%n", m.mode(), m.connections(), m.totalMillis(),
                    m.requestsPerSecond(), m.medianMillis(), m.p99Millis(),
                    String.format(Locale.ROOT, "%.0f + %.0f = %.0f", m.requestBytes(), m.responseBytes(), m.bytesPerExchange()),
                    m.setupBytes());
        }
        out.println();
        for (ComparisonReport.ModeResult m : report.modes()) {
            out.println(m.mode() + ": " + m.title());
        }
        out.println("Bytes are application bytes (HTTP headers and bodies, WebSocket frames); TCP/IP overhead is not counted.");
        out.println("setup: the WebSocket opening handshake, paid once per connection.");
    }

    private static int atLeast(String value, String name, int min) {
        int n = Integer.parseInt(value);
        if (n < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min);
        }
        return n;
    }
}
