package io.wschat.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.HandlerInterceptor;

/** Checks the API key before anything else, so an unauthenticated request learns nothing, not even whether its body was valid. */
final class ApiKeyInterceptor implements HandlerInterceptor {

    private final ApiAccess access;

    ApiKeyInterceptor(ApiAccess access) {
        this.access = access;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        access.authorize(request);
        return true;
    }
}
