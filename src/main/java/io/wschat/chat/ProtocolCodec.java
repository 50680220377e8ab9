package io.wschat.chat;

import java.util.concurrent.atomic.AtomicBoolean;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code /chat} text frames into commands and events into text frames.
 *
 * <p>A frame that is a JSON object with a string {@code type} is a command; any other text
 * (plain words, a JSON string or number) is a chat message, so a bare {@code ws.send("hi")}
 * from a browser console just chats. Every string taken from a frame passes {@link TextRule}.
 */
public final class ProtocolCodec {

    private static final Logger log = LoggerFactory.getLogger(ProtocolCodec.class);

    private final ObjectMapper mapper;
    private final ObjectWriter eventWriter;
    private final int maxTextLength;
    private final AtomicBoolean warnedAboutInvalidText = new AtomicBoolean();

    public ProtocolCodec(ObjectMapper mapper, int maxTextLength) {
        this.mapper = mapper;
        this.eventWriter = mapper.writerFor(ServerEvent.class);
        this.maxTextLength = maxTextLength;
    }

    /**
     * The event as one text frame. Text that got into the store before {@link TextRule} refused it
     * (an unpaired surrogate, which no UTF-8 encoder can write) is sent as U+FFFD: checked here,
     * once per event, so one bad stored message can neither fail a send for every member nor
     * break every later join of its room.
     */
    public String encode(ServerEvent event) {
        String frame = eventWriter.writeValueAsString(event);
        String sendable = TextRule.withoutUnpairedSurrogates(frame);
        if (sendable != frame) {
            // Once at WARN: a bad stored message is encoded again for every join of its room.
            if (warnedAboutInvalidText.compareAndSet(false, true)) {
                log.warn("a '{}' event held text that is not valid Unicode (stored before such text was refused?);"
                        + " it is sent with U+FFFD in its place (further occurrences at DEBUG)", eventType(event));
            } else {
                log.debug("a '{}' event held text that is not valid Unicode; sent with U+FFFD in its place", eventType(event));
            }
        }
        return sendable;
    }

    /** A stored message as every member receives it; the publisher and the gap fill of a sequencer encode it alike. */
    public Broadcast broadcast(ChatMessage stored) {
        return new Broadcast(stored.room(), stored.seq(), encode(ServerEvent.Message.of(stored)));
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
        return switch (TextRule.require("type", type.stringValue())) {
            case "message" -> message(json);
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

    /** A refused message's error carries its cid, so the sender knows not to resend it. */
    private ClientCommand.SendMessage message(JsonNode json) {
        String cid = optionalCid(json);
        try {
            return new ClientCommand.SendMessage(text(requiredString(json, "text")), cid);
        } catch (ProtocolException e) {
            throw e.about(cid);
        }
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

    /**
     * The rules for a chat message's text, wherever it comes from: valid text, not blank, not too long.
     * The length is counted in UTF-16 units, as JavaScript's {@code length} and the page's {@code maxlength} count.
     */
    String text(String text) {
        TextRule.require("text", text);
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
        return TextRule.require(field, value.stringValue());
    }

    private static String optionalString(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().length() > 64) {
            throw new ProtocolException(ErrorCode.INVALID_COMMAND, "'" + field + "' must be a string of at most 64 characters");
        }
        return TextRule.require(field, value.stringValue());
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

    /** At most 32 UTF-16 units of {@code s} for an error message, never cutting a character in two. */
    private static String abbreviate(String s) {
        if (s.length() <= 32) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(31)) ? 31 : 32;
        return s.substring(0, end) + "…";
    }

    private static String eventType(ServerEvent event) {
        return event.getClass().getSimpleName();
    }
}
