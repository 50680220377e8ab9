package io.wschat.chat;

import java.util.Map;

/** A message about to be stored: everything but the sequence number and timestamp the store assigns. */
public record NewMessage(String room, String fromId, String from, String text, String cid, Map<String, Object> data) {
}
