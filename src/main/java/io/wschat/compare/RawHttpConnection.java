package io.wschat.compare;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A measuring HTTP/1.1 client over a plain socket: it writes requests exactly as given and
 * counts every byte it sends and receives (status line, headers, body), which no library client
 * reveals. It understands just what the comparison needs: {@code Content-Length} bodies,
 * bodies ended by the server closing, and a {@code 101} answer to an upgrade.
 */
final class RawHttpConnection implements AutoCloseable {

    /** A response as read; {@code bytes} counts everything read for it. */
    record Response(int status, String headers, String body, long bytes, boolean serverCloses) {
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttpConnection(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Sends one request (in one write) and reads its response. */
    Response exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String head = readHead();
        long bytes = head.length();
        int status = parseStatus(head);
        String lower = head.toLowerCase(Locale.ROOT);
        boolean closes = lower.contains("\r\nconnection: close");
        if (lower.contains("\r\ntransfer-encoding:")) {
            if (status / 100 != 2) {
                // A refusal (429, 5xx) with a streamed problem body: its status is all the caller needs.
                return new Response(status, head, "", bytes, true);
            }
            throw new IOException("the server sent a transfer-encoded body, which this measuring client does not read");
        }
        byte[] body;
        long length = contentLength(lower);
        if (status == 101 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (length >= 0) {
            body = in.readNBytes((int) Math.min(length, MAX_BODY_BYTES));
            if (body.length != length) {
                throw new IOException("the connection ended " + body.length + " bytes into a " + length + "-byte body");
            }
        } else if (closes) {
            body = in.readNBytes(MAX_BODY_BYTES);
        } else {
            throw new IOException("the response has neither Content-Length nor Connection: close");
        }
        return new Response(status, head, new String(body, StandardCharsets.UTF_8), bytes + body.length, closes);
    }

    /** Status line and headers up to and including the empty line; they are ASCII, so chars are bytes. */
    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before a complete response");
            }
            head.write(b);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("response headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int parseStatus(String head) throws IOException {
        String[] statusLine = head.substring(0, head.indexOf('\r')).split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine[0]);
        }
        return Integer.parseInt(statusLine[1]);
    }

    private static long contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return -1;
        }
        int start = at + "\r\ncontent-length:".length();
        return Long.parseLong(lowerHead.substring(start, lowerHead.indexOf('\r', start)).strip());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
