package io.wschat.chat;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;

/**
 * Turns {@code /chat} text frames into commands and events into text frames.
 *
 * <p>A frame that is a JSON object with a string {@code type} is a command; any other text
 * (plain words, a JSON string or number) is a chat message, so a bare {@code ws.send("hi")}
 * from a browser console just chats.
 */
public final class ProtocolCodec {

    private final ObjectMapper mapper;
    private final ObjectWriter eventWriter;
    private final int maxTextLength;

    public ProtocolCodec(ObjectMapper mapper, int maxTextLength) {
        this.mapper = mapper;
        this.eventWriter = mapper.writerFor(ServerEvent.class);
        this.maxTextLength = maxTextLength;
    }

    public String encode(ServerEvent event) {
        return eventWriter.writeValueAsString(event);
    }

    public ClientCommand decode(String frame) {
        JsonNode json = parseObjectOrNull(frame);
        if (json == null) {
            return new ClientCommand.SendMessage(text(frame), null);
        }
        JsonNode type = json.get("type");
        if (type == null || !type.isString()) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "a command needs a string field 'type'");
        }
        return switch (type.stringValue()) {
            case "message" -> new ClientCommand.SendMessage(text(requiredString(json, "text")), optionalCid(json));
            case "join" -> new ClientCommand.Join(Names.room(requiredString(json, "room")), optionalSeq(json, "since"));
            case "history" -> new ClientCommand.History(optionalSeq(json, "before"), optionalLimit(json));
            case "nick" -> new ClientCommand.Nick(Names.name(requiredString(json, "name")));
            case "members" -> new ClientCommand.Members(optionalNonNegativeInt(json, "offset"), optionalLimit(json));
            case "ping" -> new ClientCommand.Ping(optionalString(json, "id"));
            case "typing" -> new ClientCommand.Typing();
            case "progress" -> new ClientCommand.StartProgress(optionalInt(json, "chunks"), optionalInt(json, "chunkBytes"),
                    optionalInt(json, "intervalMs"), optionalInt(json, "failAtChunk"), optionalString(json, "label"));
            case "cancel" -> new ClientCommand.CancelProgress(requiredString(json, "jobId"));
            case "subscribe" -> new ClientCommand.Subscribe(topic(json), optionalInt(json, "intervalMs"));
            case "unsubscribe" -> new ClientCommand.Unsubscribe(topic(json));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown command type '"
                    + abbreviate(type.stringValue()) + "'; expected message, join, history, nick, members, ping, typing, progress,"
                    + " cancel, subscribe or unsubscribe");
        };
    }

    /** Null when the frame is not meant as a command; an error when it looks like one but does not parse. */
    private JsonNode parseObjectOrNull(String frame) {
        String trimmed = frame.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(trimmed);
            return node.isObject() ? node : null;
        } catch (JacksonException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, "frame starts with '{' but is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** The rules for a chat message's text, wherever it comes from: not blank, not too long. */
    String text(String text) {
        if (text.isBlank()) {
            throw new ProtocolException(ErrorCode.EMPTY_TEXT, "message text is empty");
        }
        if (text.length() > maxTextLength) {
            throw new ProtocolException(ErrorCode.TEXT_TOO_LONG, "message text is " + text.length()
                    + " characters; the limit is " + maxTextLength);
        }
        return text;
    }

    private static String requiredString(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isString()) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'" + json.get("type").stringValue()
                    + "' needs a string field '" + field + "'");
        }
        return value.stringValue();
    }

    private static String optionalString(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().length() > 64) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'" + field + "' must be a string of at most 64 characters");
        }
        return value.stringValue();
    }

    private static String optionalCid(JsonNode json) {
        return optionalString(json, "cid");
    }

    private static Long optionalSeq(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 0) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'" + field + "' must be a non-negative integer");
        }
        return value.longValue();
    }

    private static Integer optionalInt(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'" + field + "' must be an integer");
        }
        return value.intValue();
    }

    private static Integer optionalNonNegativeInt(JsonNode json, String field) {
        Integer value = optionalInt(json, field);
        if (value != null && value < 0) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'" + field + "' must be a non-negative integer");
        }
        return value;
    }

    private static Integer optionalLimit(JsonNode json) {
        JsonNode value = json.get("limit");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'limit' must be a positive integer");
        }
        return value.intValue();
    }

    /** The push topics a client can subscribe to; only the server clock for now. */
    private static String topic(JsonNode json) {
        String topic = requiredString(json, "topic");
        if (!"time".equals(topic)) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "unknown topic '" + abbreviate(topic) + "'; expected time");
        }
        return topic;
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
