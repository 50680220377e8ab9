package io.wschat.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Checks the API key before anything else, so an unauthenticated request learns nothing, not even whether its body was valid. */
final class ApiKeyInterceptor implements HandlerInterceptor {

    private final ApiAccess access;

    ApiKeyInterceptor(ApiAccess access) {
        this.access = access;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // The read API under /api/rooms shares the path but is guarded by the chat's token, not by API keys.
        if (handler instanceof HandlerMethod method && isWriteApi(method.getBeanType())) {
            access.authorize(request);
        }
        return true;
    }

    private static boolean isWriteApi(Class<?> controller) {
        String pkg = controller.getPackageName();
        return pkg.equals("io.wschat.api") || pkg.equals("io.wschat.progress");
    }
}
