package io.wschat.security;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call each HTTP route: the one place that says it. A request is matched by method and
 * path against the rules in order; the first match decides. {@code HEAD} runs the {@code GET} handler,
 * so it needs what {@code GET} needs; a write never matches a read rule.
 * A route with no rule is refused ({@link RouteAccessInterceptor}), and {@code RoutePolicyTests}
 * fails for every mapped route that has none, so a new endpoint cannot be public by omission.
 */
public final class RoutePolicy {

    /** What a caller must present. */
    public enum Access {
        /** Nothing: the page, its assets, the comparison (rate-limited per address), health. */
        PUBLIC,
        /** The same JWT as {@code /chat} when {@code chat.security.jwt} is configured; nothing otherwise. */
        CHAT_TOKEN,
        /** One of {@code chat.api.keys}: endpoints for other systems, which write. */
        API_KEY
    }

    /** @param reads true for GET and HEAD; false for the methods that change something (POST, PUT, PATCH, DELETE) */
    record Rule(boolean reads, PathPattern pattern, Access access) {

        boolean matches(HttpMethod method, PathContainer path) {
            return isRead(method) == reads && pattern.matches(path);
        }
    }

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

    private static final List<Rule> RULES = List.of(
            // The HTTP API: reads serve what /chat serves, so they take its token; writes come from other systems.
            read("/api/rooms", Access.CHAT_TOKEN),
            read("/api/rooms/{room}/messages", Access.CHAT_TOKEN),
            write("/api/rooms/{room}/messages", Access.API_KEY),
            write("/api/jobs", Access.API_KEY),
            write("/api/jobs/{jobId}", Access.API_KEY),
            read("/api/games", Access.CHAT_TOKEN),
            // The comparison page's endpoints, rate-limited per client address in CompareController.
            read("/api/compare/echo", Access.PUBLIC),
            write("/api/compare/runs", Access.PUBLIC),
            // WebSocket handshakes (GET): their own interceptors enforce this (TokenCheck, OriginCheck, ConnectionLimits).
            read("/chat", Access.CHAT_TOKEN),
            read("/game/ws", Access.CHAT_TOKEN),
            read("/echo", Access.PUBLIC),
            // Management: what is exposed is chosen by management.endpoints.web.exposure.include.
            read("/actuator", Access.PUBLIC),
            read("/actuator/**", Access.PUBLIC),
            // Spring Boot's error page, reached by forward; it must answer whatever method failed.
            read("/error", Access.PUBLIC),
            write("/error", Access.PUBLIC),
            // The demo page; its assets (static/) are served by the resource handler, which is public as a whole.
            read("/game", Access.PUBLIC),
            read("/", Access.PUBLIC));

    private RoutePolicy() {
    }

    /** The access the route needs, or empty when no rule covers it (which is refused). */
    public static Optional<Access> accessFor(HttpMethod method, String path) {
        if (HttpMethod.OPTIONS.equals(method)) {
            // Answered by Spring with the Allow header only: it runs no handler and reveals nothing a GET would not.
            return Optional.of(Access.PUBLIC);
        }
        PathContainer container = PathContainer.parsePath(path);
        return RULES.stream().filter(r -> r.matches(method, container)).map(Rule::access).findFirst();
    }

    /** HEAD runs the GET handler and returns its headers, so it is guarded like GET. */
    static boolean isRead(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }

    private static Rule read(String pattern, Access access) {
        return new Rule(true, PARSER.parse(pattern), access);
    }

    private static Rule write(String pattern, Access access) {
        return new Rule(false, PARSER.parse(pattern), access);
    }
}
