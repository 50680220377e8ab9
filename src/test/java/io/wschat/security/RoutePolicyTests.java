package io.wschat.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the application maps has a rule in {@link RoutePolicy}: controllers and actuator endpoints
 * (every {@link RequestMappingInfoHandlerMapping}), the WebSocket handshakes and the welcome page
 * (every {@link AbstractUrlHandlerMapping}). A new endpoint without a rule fails here, by name.
 */
// A running server, as in most test classes, so that this one shares their cached context.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoutePolicyTests {

    /** What an unrestricted mapping ({@code @RequestMapping} without a method) is tried with. */
    private static final List<HttpMethod> ANY = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);

    @Autowired
    ApplicationContext context;

    record Route(HttpMethod method, String pattern) {

        /** A path the pattern matches: every variable and wildcard filled in. */
        String path() {
            String path = pattern.replaceAll("\\{[^}]*}", "x").replace("/**", "/x").replace("/*", "/x");
            return path.isEmpty() ? "/" : path;
        }
    }

    private List<Route> mappedRoutes() {
        List<Route> routes = new ArrayList<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
                List<HttpMethod> methods = new ArrayList<>(declared.isEmpty() ? ANY : declared.stream().map(m -> HttpMethod.valueOf(m.name())).toList());
                if (methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
                    methods.add(HttpMethod.HEAD); // Spring serves HEAD with every GET handler
                }
                for (String pattern : info.getPatternValues()) {
                    methods.forEach(method -> routes.add(new Route(method, pattern)));
                }
            }
        }
        for (AbstractUrlHandlerMapping mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
            mapping.getHandlerMap().forEach((pattern, handler) -> {
                if (!(handler instanceof ResourceHttpRequestHandler)) { // static assets: public as a whole
                    routes.add(new Route(HttpMethod.GET, pattern));
                    routes.add(new Route(HttpMethod.HEAD, pattern));
                }
            });
        }
        return routes;
    }

    @Test
    void everyMappedRouteHasARule() {
        List<Route> routes = mappedRoutes();
        assertThat(routes).extracting(Route::pattern).as("the walk sees controllers, actuator and WebSocket routes")
                .contains("/api/rooms/{room}/messages", "/api/jobs", "/api/compare/runs", "/", "/chat", "/echo", "/actuator/health");
        List<String> uncovered = routes.stream().filter(r -> RoutePolicy.accessFor(r.method(), r.path()).isEmpty())
                .map(r -> r.method() + " " + r.pattern()).distinct().toList();
        assertThat(uncovered).as("routes without a rule in RoutePolicy").isEmpty();
    }

    @Test
    void readsAndWritesOfOnePathHaveTheirOwnRules() {
        assertThat(RoutePolicy.accessFor(HttpMethod.GET, "/api/rooms/r/messages")).contains(RoutePolicy.Access.CHAT_TOKEN);
        assertThat(RoutePolicy.accessFor(HttpMethod.HEAD, "/api/rooms/r/messages")).contains(RoutePolicy.Access.CHAT_TOKEN);
        assertThat(RoutePolicy.accessFor(HttpMethod.POST, "/api/rooms/r/messages")).contains(RoutePolicy.Access.API_KEY);
        assertThat(RoutePolicy.accessFor(HttpMethod.POST, "/api/rooms")).as("a write with no rule").isEmpty();
        assertThat(RoutePolicy.accessFor(HttpMethod.GET, "/api/jobs")).as("a read with no rule").isEmpty();
        assertThat(RoutePolicy.accessFor(HttpMethod.GET, "/api/anything-new")).isEmpty();
    }
}
