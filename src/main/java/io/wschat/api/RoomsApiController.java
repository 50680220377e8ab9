package io.wschat.api;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.Names;
import io.wschat.chat.Presence;
import io.wschat.chat.ServerEvent;
import io.wschat.history.HistoryProperties;
import io.wschat.web.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A read-only API for other systems: rooms, and their messages page by page. Bad parameters
 * are a 400 ({@code invalid_parameter}, {@code invalid_room}) and an unknown room a 404 ({@code unknown_room}),
 * as problem details. Who may read is {@code RoutePolicy}'s to say: the chat token when tokens are on.
 */
@RestController
@RequestMapping("/api/rooms")
class RoomsApiController {

    static final int DEFAULT_LIMIT = 50;

    private final MessageStore store;
    private final Presence presence;
    private final int maxLimit;

    RoomsApiController(MessageStore store, Presence presence, HistoryProperties history) {
        this.store = store;
        this.presence = presence;
        this.maxLimit = history.maxPage();
    }

    /** A room, how many are in it now, and the sequence of its newest message (0 if none). */
    record RoomSummary(String room, int members, long lastSeq) {
    }

    record RoomPage(List<RoomSummary> rooms, boolean hasMore) {
    }

    /** Messages oldest first; {@code hasMore} says another page lies beyond, in the direction asked. */
    record MessagePage(String room, long lastSeq, List<ServerEvent.Message> messages, boolean hasMore) {
    }

    /** Rooms by name, those after {@code after}: rooms with history and rooms with members. */
    @GetMapping
    RoomPage rooms(@RequestParam(defaultValue = "") String after,
                   @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        checkLimit(limit);
        TreeSet<String> names = new TreeSet<>();
        store.rooms(after, limit + 1).forEach(r -> names.add(r.room()));
        presence.rooms().stream().filter(r -> r.compareTo(after) > 0).forEach(names::add);
        List<RoomSummary> rooms = new ArrayList<>();
        for (String room : names) {
            if (rooms.size() == limit) {
                break;
            }
            rooms.add(new RoomSummary(room, presence.members(room).size(), store.lastSeq(room)));
        }
        return new RoomPage(rooms, names.size() > limit);
    }

    /**
     * With {@code after}: the oldest messages after it (and before {@code before}, if given), paging forwards.
     * Otherwise: the newest messages before {@code before} (or the latest), paging backwards.
     */
    @GetMapping("/{room}/messages")
    MessagePage messages(@PathVariable String room,
                         @RequestParam(required = false) Long before,
                         @RequestParam(required = false) Long after,
                         @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        String name = validRoom(room);
        checkLimit(limit);
        if (before != null && before < 1) {
            throw badRequest("'before' must be a positive sequence number");
        }
        if (after != null && after < 0) {
            throw badRequest("'after' must be a non-negative sequence number");
        }
        if (before != null && after != null && before <= after) {
            throw badRequest("'before' must be greater than 'after'");
        }
        long lastSeq = store.lastSeq(name);
        if (lastSeq == 0 && presence.members(name).isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown_room", "room '" + name + "' has no messages and no members");
        }
        List<ChatMessage> page;
        boolean hasMore;
        if (after != null) {
            List<ChatMessage> found = new ArrayList<>(store.after(name, after, limit + 1));
            if (before != null) {
                found.removeIf(m -> m.seq() >= before);
            }
            hasMore = found.size() > limit;
            page = hasMore ? found.subList(0, limit) : found;
        } else {
            List<ChatMessage> found = store.before(name, before == null ? Long.MAX_VALUE : before, limit + 1);
            hasMore = found.size() > limit;
            page = hasMore ? found.subList(1, found.size()) : found;
        }
        return new MessagePage(name, lastSeq, page.stream().map(ServerEvent.Message::of).toList(), hasMore);
    }

    private void checkLimit(int limit) {
        if (limit < 1 || limit > maxLimit) {
            throw badRequest("'limit' must be between 1 and " + maxLimit);
        }
    }

    /** A bad room id is answered with the protocol's own code ({@code invalid_room}), as on the WebSocket. */
    private static String validRoom(String room) {
        return Names.room(room);
    }

    private static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", detail);
    }
}
