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

/**
 * A WebSocket peer at the byte level, for what a well-behaved client cannot do: read the exact
 * status and body of a refused handshake, or open a connection and then never answer
 * (a dead peer). Reads server frames only far enough to tell their opcode.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;

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

    /** Reads frames, never answering them, until a text frame arrives, and returns its payload; null when the server closed. */
    public String nextText() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no frame within " + TestClient.TIMEOUT);
            }
            if (first < 0) {
                return null;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            int opcode = first & 0x0F;
            if (opcode == OPCODE_CLOSE) {
                return null;
            }
            if (opcode == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
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
