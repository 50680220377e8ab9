package io.wschat.chat;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The rules for room ids and display names, shared by the handshake, the commands and the HTTP API.
 * {@link TextRule} is checked first, so text that is not valid Unicode is {@code invalid_text} here too.
 * Lengths count code points.
 */
public final class Names {

    public static final int MAX_ROOM_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 32;
    public static final int MAX_CLIENT_ID_LENGTH = 64;

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0," + (MAX_ROOM_LENGTH - 1) + "}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_CLIENT_ID_LENGTH + "}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.'-]{0," + (MAX_NAME_LENGTH - 1) + "}");

    private Names() {
    }

    /** Returns the room id, or throws {@code invalid_room} with a message that says what is allowed. */
    public static String room(String room) {
        if (room == null || !ROOM.matcher(TextRule.require("room", room)).matches()) {
            throw new ProtocolException(ErrorCode.INVALID_ROOM, "room must be 1-" + MAX_ROOM_LENGTH
                    + " characters: letters, digits, '_', '.', '-', starting with a letter or digit");
        }
        return room;
    }

    /** Returns the trimmed display name, or throws {@code invalid_name}. */
    public static String name(String name) {
        String trimmed = name == null ? "" : TextRule.require("name", name).strip();
        if (!NAME.matcher(trimmed).matches()) {
            throw new ProtocolException(ErrorCode.INVALID_NAME, "name must be 1-" + MAX_NAME_LENGTH
                    + " characters: letters, digits, spaces and _ . ' -, starting with a letter or digit");
        }
        return trimmed;
    }

    /**
     * Returns the client id a connection presented (the {@code client} handshake parameter), or throws
     * {@code invalid_client}. A client should pick a random one (a UUID) and keep it across reconnects.
     */
    public static String clientId(String clientId) {
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw new ProtocolException(ErrorCode.INVALID_CLIENT, "client must be 1-" + MAX_CLIENT_ID_LENGTH
                    + " characters: letters, digits, '_' and '-' (a random UUID is a good choice)");
        }
        return clientId;
    }

    public static String guestName() {
        return "guest-" + (1000 + ThreadLocalRandom.current().nextInt(9000));
    }
}
