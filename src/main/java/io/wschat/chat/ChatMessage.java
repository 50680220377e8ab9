package io.wschat.chat;

import java.util.Map;

/**
 * A stored chat message. {@code seq} is assigned by the {@link MessageStore}: strictly
 * increasing per room, so a client can tell exactly which messages it missed.
 *
 * @param cid  the sender's own id for the message, used to make resends idempotent; may be null
 * @param data optional structured payload (live updates from other systems); may be null
 */
public record ChatMessage(String room, long seq, String fromId, String from, String text, long ts,
                          String cid, Map<String, Object> data) {
}
