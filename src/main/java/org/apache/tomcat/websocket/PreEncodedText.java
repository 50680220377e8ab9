package org.apache.tomcat.websocket;

import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;

/**
 * Sends a text message whose UTF-8 bytes are already encoded, through Tomcat's own frame writer.
 *
 * <p>JSR-356 takes text only as a {@code String}, which Tomcat encodes into a buffer of the session's
 * for every session it goes to: a broadcast to a thousand members is the same text encoded a thousand
 * times. Tomcat's writer also takes an opcode and a payload ({@code startMessage}, what its binary sends
 * call), but that method is package-private, so this class sits in Tomcat's package (on the class path,
 * where that package is not sealed). Tomcat still writes the frame's header and applies a negotiated
 * extension; nothing of the protocol is done here. A Tomcat that changes that method fails the build.
 *
 * <p>Unlike {@code sendText}, this skips the endpoint's check that no other message is in progress:
 * the caller must send one message at a time, as the server's connection writer does.
 */
public final class PreEncodedText {

    private PreEncodedText() {
    }

    /** Whether {@code remote} is Tomcat's, the only kind {@link #send} can write to. */
    public static boolean supports(RemoteEndpoint.Async remote) {
        return remote instanceof WsRemoteEndpointBase;
    }

    /**
     * Starts writing {@code utf8} (valid UTF-8, left unchanged) as one whole text message;
     * {@code handler} hears when it is written or has failed.
     */
    public static void send(RemoteEndpoint.Async remote, ByteBuffer utf8, SendHandler handler) {
        ((WsRemoteEndpointBase) remote).base.startMessage(Constants.OPCODE_TEXT, utf8, true, handler);
    }
}
