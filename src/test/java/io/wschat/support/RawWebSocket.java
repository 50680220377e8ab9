package io.wschat.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket peer at the byte level, for what a well-behaved client cannot do: read the exact
 * status and body of a refused handshake, open a connection and then never answer (a dead
 * peer), or send frames a library would not (fragments split inside a character, bytes that
 * are not UTF-8).
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;

    /** A frame from the server; for a close frame, {@link #closeCode()} reads its status. */
    public record Frame(int opcode, boolean fin, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final int status;
    private final Map<String, String> headers;
    private final String body;

    private RawWebSocket(Socket socket, DataInputStream in, int status, Map<String, String> headers, String body) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** Sends an opening handshake for {@code pathAndQuery} with the given extra headers and reads the answer's head. */
    public static RawWebSocket handshake(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
        return handshake(port, pathAndQuery, extraHeaders, 0);
    }

    /**
     * As {@link #handshake(int, String, Map)}, with the socket's receive buffer set to about
     * {@code receiveBufferBytes} (0: the system's default) before connecting, so a peer that stops
     * reading fills the TCP window after a few kilobytes instead of megabytes.
     */
    public static RawWebSocket handshake(int port, String pathAndQuery, Map<String, String> extraHeaders,
                                         int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress("localhost", port));
        socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                .append("Host: localhost:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(), line.substring(colon + 1).strip());
        }
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            byte[] bytes = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(bytes);
            body = new String(bytes, StandardCharsets.UTF_8);
        } else if (status != 101 && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        }
        return new RawWebSocket(socket, in, status, headers, body);
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase());
    }

    public String body() {
        return body;
    }

    /**
     * Reads the next frame the server sends, never answering it, and returns its opcode;
     * -1 when the server closed the socket.
     */
    public int nextOpcode() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + TestClient.TIMEOUT);
        }
        if (first < 0) {
            return -1;
        }
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        in.skipNBytes(length);
        return first & 0x0F;
    }

    /**
     * Sends one frame, masked as a client must (RFC 6455 section 5.3). {@code opcode} 0 is a
     * continuation; {@code fin} false leaves the message open for more fragments.
     */
    public void send(int opcode, boolean fin, byte[] payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(encodeRepeated(opcode, fin, payload, 1));
        out.flush();
    }

    /**
     * Sends the same final frame {@code framesPerWrite} times in each of {@code writes} writes, encoded once,
     * so that the flood goes as fast as the socket takes it, not as fast as frames are encoded and masked.
     */
    public void flood(int opcode, byte[] payload, int framesPerWrite, int writes) throws IOException {
        byte[] frames = encodeRepeated(opcode, true, payload, framesPerWrite);
        OutputStream out = socket.getOutputStream();
        for (int n = 0; n < writes; n++) {
            out.write(frames);
        }
        out.flush();
    }

    private static byte[] encodeRepeated(int opcode, boolean fin, byte[] payload, int times) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream((payload.length + 14) * times);
        for (int n = 0; n < times; n++) {
            frames.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frames.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                frames.write(0x80 | 126);
                frames.write(payload.length >>> 8);
                frames.write(payload.length & 0xFF);
            } else {
                frames.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frames.write((int) ((long) payload.length >>> shift) & 0xFF);
                }
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frames.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                frames.write(payload[i] ^ mask[i % 4]);
            }
        }
        return frames.toByteArray();
    }

    /** Sends a whole text message in one frame. */
    public void sendText(String text) throws IOException {
        send(OPCODE_TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The next message the server sends, its fragments joined (a server may split a long one),
     * or its close frame; pings are skipped (and not answered).
     */
    public Frame nextFrame() throws IOException {
        Frame first = nextRawFrame();
        if (first.opcode() == OPCODE_CLOSE || first.fin()) {
            return first;
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(first.payload());
        for (Frame next = nextRawFrame(); ; next = nextRawFrame()) {
            if (next.opcode() == OPCODE_CLOSE) {
                return next;
            }
            message.writeBytes(next.payload());
            if (next.fin()) {
                return new Frame(first.opcode(), true, message.toByteArray());
            }
        }
    }

    private Frame nextRawFrame() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no frame within " + TestClient.TIMEOUT);
            }
            if (first < 0) {
                throw new EOFException("the server closed the socket without a close frame");
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            if ((first & 0x0F) != OPCODE_PING) {
                return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
            }
        }
    }

    /** Reads frames, never answering them, until a text frame arrives, and returns its payload; null when the server closed. */
    public String nextText() throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = nextFrame();
            } catch (EOFException e) {
                return null;
            }
            if (frame.opcode() == OPCODE_CLOSE) {
                return null;
            }
            if (frame.opcode() == OPCODE_TEXT) {
                return frame.text();
            }
        }
    }

    /** Skips frames until a text frame containing {@code part} arrives, and returns its text. */
    public String nextTextContaining(String part) throws IOException {
        while (true) {
            Frame frame = nextFrame();
            if (frame.opcode() == OPCODE_CLOSE) {
                throw new AssertionError("closed with " + frame.closeCode() + " while waiting for a frame with " + part);
            }
            if (frame.opcode() == OPCODE_TEXT && frame.text().contains(part)) {
                return frame.text();
            }
        }
    }

    /** Skips frames until the server's close frame arrives, and returns its status code. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame = nextFrame();
            if (frame.opcode() == OPCODE_CLOSE) {
                return frame.closeCode();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of the response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String readChunked(DataInputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(readLine(in).strip(), 16); size > 0; size = Integer.parseInt(readLine(in).strip(), 16)) {
            body.write(in.readNBytes(size));
            readLine(in);
        }
        return body.toString(StandardCharsets.UTF_8);
    }
}
