package io.wschat.api;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.ChatService;
import io.wschat.web.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/rooms/{room}/messages}: other systems push into a room. The message takes the
 * same path as a member's (validated, stored, sequenced, published to every instance), so the
 * page shows it like any other, with its {@code data} for the page to use.
 */
@RestController
class PublishController {

    /** @param from the display name; "api" when absent */
    record PublishRequest(String text, String from, Map<String, Object> data) {
    }

    record Published(String room, long seq, long ts) {
    }

    private static final String DEFAULT_FROM = "api";
    /**
     * How deep {@code data} may nest. The JSON reader and writer both stop at 500 levels, and the
     * events that carry a message wrap it a few levels deeper still (a welcome's history): data
     * just under the reader's limit would be accepted and stored, and then no welcome of its room
     * could be written. Real payloads are shallow.
     */
    static final int MAX_DATA_DEPTH = 32;

    private final ChatService chat;
    private final ObjectMapper mapper;
    private final long maxDataBytes;

    PublishController(ChatService chat, ObjectMapper mapper, ApiProperties properties) {
        this.chat = chat;
        this.mapper = mapper;
        this.maxDataBytes = properties.maxDataSize().toBytes();
    }

    @PostMapping("/api/rooms/{room}/messages")
    Published publish(@PathVariable String room, @RequestBody PublishRequest body) {
        if (body.data() != null) {
            int depth = depth(body.data());
            if (depth > MAX_DATA_DEPTH) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "data_too_large",
                        "data nests " + depth + " levels deep; the limit is " + MAX_DATA_DEPTH);
            }
            int size = mapper.writeValueAsBytes(body.data()).length;
            if (size > maxDataBytes) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "data_too_large",
                        "data is " + size + " bytes as JSON; the limit is " + maxDataBytes);
            }
        }
        ChatMessage stored = chat.publish(room, body.from() == null ? DEFAULT_FROM : body.from(), body.text(), body.data());
        return new Published(stored.room(), stored.seq(), stored.ts());
    }

    /** Levels of objects and arrays: 1 for a flat object. */
    private static int depth(Object json) {
        int deepest = 0;
        if (json instanceof Map<?, ?> map) {
            for (Object value : map.values()) {
                deepest = Math.max(deepest, depth(value));
            }
            return deepest + 1;
        }
        if (json instanceof List<?> list) {
            for (Object value : list) {
                deepest = Math.max(deepest, depth(value));
            }
            return deepest + 1;
        }
        return 0;
    }
}
