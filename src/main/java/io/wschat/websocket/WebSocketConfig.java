package io.wschat.websocket;

import java.util.Map;

import io.wschat.chat.ChatService;
import io.wschat.system.ChatProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The WebSocket endpoints: {@code /chat}, {@code /echo}, and echo on {@code /} for upgrade
 * requests only, so {@code new WebSocket("ws://localhost:8080")} works while a plain
 * {@code GET /} still gets the demo page.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    /** How long a close frame to an unresponsive peer may block before the socket is dropped. */
    private static final long CLOSE_TIMEOUT_MILLIS = 2_000;

    private final ChatService chat;
    private final ChatProperties properties;
    private final ThreadPoolTaskExecutor closeExecutor;

    WebSocketConfig(ChatService chat, ChatProperties properties) {
        this.chat = chat;
        this.properties = properties;
        this.closeExecutor = new ThreadPoolTaskExecutor();
        closeExecutor.setThreadNamePrefix("ws-close-");
        closeExecutor.setCorePoolSize(2);
        closeExecutor.setMaxPoolSize(2);
        closeExecutor.setQueueCapacity(100_000);
        closeExecutor.initialize();
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new ChatWebSocketHandler(chat, properties.outbound().bufferLimit().toBytes(),
                        CLOSE_TIMEOUT_MILLIS, closeExecutor), "/chat")
                .addInterceptors(new RequireGetInterceptor(), new HandshakeRecorder(),
                        new ChatHandshakeInterceptor(properties.defaultRoom()));
        // The echo endpoints hold no user data, so any page may use them: that is the console lesson.
        registry.addHandler(new EchoWebSocketHandler(), "/echo")
                .addInterceptors(new RequireGetInterceptor())
                .setAllowedOriginPatterns("*");
    }

    @Bean
    WebSocketHandlerMapping rootEchoHandlerMapping() {
        var handler = new WebSocketHttpRequestHandler(new EchoWebSocketHandler(), new DefaultHandshakeHandler());
        var mapping = new WebSocketHandlerMapping();
        mapping.setUrlMap(Map.of("/", handler));
        mapping.setWebSocketUpgradeMatch(true);
        mapping.setOrder(-1);
        return mapping;
    }

    /** Tomcat's own limits: frames above max-frame-size close with 1009; async sends time out after send-time-limit. */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        var container = new ServletServerContainerFactoryBean();
        int maxFrame = (int) properties.maxFrameSize().toBytes();
        container.setMaxTextMessageBufferSize(maxFrame);
        container.setMaxBinaryMessageBufferSize(maxFrame);
        container.setAsyncSendTimeout(properties.outbound().sendTimeLimit().toMillis());
        return container;
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskExecutor webSocketCloseExecutor() {
        return closeExecutor;
    }
}
