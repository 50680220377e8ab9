package io.wschat.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The API-key check guards every endpoint meant for other systems. */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration implements WebMvcConfigurer {

    private final ApiAccess access;

    ApiConfiguration(ApiAccess access) {
        this.access = access;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiKeyInterceptor(access)).addPathPatterns("/api/rooms/**", "/api/jobs", "/api/jobs/**");
    }
}
