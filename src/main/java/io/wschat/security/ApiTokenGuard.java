package io.wschat.security;

import java.util.HashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The read API ({@code GET /api/rooms/**}) serves the same messages as {@code /chat}, so when
 * {@code /chat} requires a token, so does the API: the same {@link TokenCheck}, the same 401 answers.
 * Writes under the same path (publishing) are for other systems and take API keys instead.
 */
final class ApiTokenGuard implements HandlerInterceptor {

    private final TokenCheck tokenCheck;

    ApiTokenGuard(TokenCheck tokenCheck) {
        this.tokenCheck = tokenCheck;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!"GET".equals(request.getMethod())) {
            return true;
        }
        ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
        boolean allowed = tokenCheck.beforeHandshake(new ServletServerHttpRequest(request), answer, null, new HashMap<>());
        if (!allowed) {
            answer.flush();
        }
        return allowed;
    }
}
