package io.wschat.chat;

/** A participant as others see it: a stable connection id and a display name. */
public record Member(String id, String name) {
}
