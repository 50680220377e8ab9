package io.wschat.security;

import java.io.IOException;
import java.util.HashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.wschat.web.ApiException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Enforces {@link RoutePolicy} before any controller runs, so a refused caller learns nothing,
 * not even whether its parameters or body were valid. Static assets are public as a whole.
 */
final class RouteAccessInterceptor implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RouteAccessInterceptor.class);

    private final TokenCheck tokenCheck;
    private final ApiKeys apiKeys;

    RouteAccessInterceptor(TokenCheck tokenCheck, ApiKeys apiKeys) {
        this.tokenCheck = tokenCheck;
        this.apiKeys = apiKeys;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (handler instanceof ResourceHttpRequestHandler) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        RoutePolicy.Access access = RoutePolicy.accessFor(HttpMethod.valueOf(request.getMethod()), path).orElse(null);
        if (access == null) {
            log.warn("{} {} refused: no access rule covers it (add one to RoutePolicy)", request.getMethod(), path);
            throw new ApiException(HttpStatus.FORBIDDEN, "no_access_rule", "no access rule covers " + request.getMethod() + " " + path);
        }
        return switch (access) {
            case PUBLIC -> true;
            case API_KEY -> {
                apiKeys.authorize(request);
                yield true;
            }
            case CHAT_TOKEN -> chatToken(request, response);
        };
    }

    private boolean chatToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
        boolean allowed = tokenCheck.beforeHandshake(new ServletServerHttpRequest(request), answer, null, new HashMap<>());
        if (!allowed) {
            answer.flush();
        }
        return allowed;
    }
}
