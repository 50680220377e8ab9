package io.wschat.chat;

import java.util.Map;

/**
 * A message about to be stored: everything but the sequence number and timestamp the store assigns.
 *
 * @param sender whose {@code cid} this is: the key that makes resends idempotent is (room, sender, cid), so two
 *               senders that happen to pick the same cid never meet. The token subject, the client id the
 *               connection presented, or a key unique to the connection (see {@link ClientConnection#clientKey()})
 */
public record NewMessage(String room, String fromId, String from, String text, String cid, Map<String, Object> data,
                         String sender) {

    /** A message whose sender is its connection id; for callers without a stable identity (tests, tools). */
    public NewMessage(String room, String fromId, String from, String text, String cid, Map<String, Object> data) {
        this(room, fromId, from, text, cid, data, fromId);
    }
}
