package io.wschat.websocket;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.wschat.chat.ChatService;
import io.wschat.chat.Rejections;
import io.wschat.game.GameService;
import io.wschat.security.ConnectionLimits;
import io.wschat.security.HandshakeRefusal;
import io.wschat.security.LimitsProperties;
import io.wschat.security.OriginCheck;
import io.wschat.security.SecurityProperties;
import io.wschat.security.TokenCheck;
import io.wschat.system.ChatProperties;

import org.apache.coyote.AbstractProtocol;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The WebSocket endpoints: {@code /chat}, {@code /game/ws}, {@code /echo}, and echo on {@code /} for upgrade
 * requests only, so {@code new WebSocket("ws://localhost:8080")} works while a plain
 * {@code GET /} still gets the demo page.
 *
 * <p>Every endpoint refuses handshakes while shutting down (503) and counts against the
 * connection caps (429/503); the echo endpoints also against their own cap (503) and rate
 * limit (1008). {@code /chat} and {@code /game/ws} also check the page's origin (403), the token
 * when authentication is on (401), and its query parameters (400/503).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfig implements WebSocketConfigurer {

    /**
     * Tomcat allocates each session's inbound message buffers up front at this size (text as a
     * {@code char} buffer, so twice the bytes): at the 64 KB frame limit that was 250 KB of heap per
     * idle connection, at 1 KB still 3 KB. Chat commands and game inputs are mostly well under 256
     * characters; a larger message arrives in parts of this size and is put together only while it is
     * in flight (see {@link WebSocketClientConnection#assembleText}).
     */
    static final int MESSAGE_BUFFER = 256;

    /**
     * Each connection's socket read buffer, the size of the frame reader's input buffer: a frame of
     * up to that size is read straight into the frame reader (Tomcat reads into the socket buffer only
     * when the destination has less room than it), and a larger one takes one read per 256 bytes.
     * Clients send mostly short commands; what a server sends is large, and is written, not read.
     */
    static final int READ_BUFFER = MESSAGE_BUFFER;

    /**
     * Each connection's socket write buffer. WebSocket frames never pass through it (Tomcat writes
     * them from their own buffers with one gathering write); it carries HTTP responses, which are
     * written to the network in pieces of its size, so pages go out in 1 KB writes.
     */
    static final int WRITE_BUFFER = 1024;

    /**
     * Tomcat sizes three more buffers of every WebSocket session from this system property, read
     * once when its WebSocket classes load (before the server starts, so it is set from the connector
     * customizer below unless given on the command line): the frame reader's input buffer, and the
     * writer's output and text encoder buffers, 8 KB each by default, 24 KB of heap per idle
     * connection (measured: 40 KiB of resident memory per idle connection with them, 20 KiB with 1 KB).
     * The writer's two are never used: text goes out already encoded ({@link WebSocketClientConnection}),
     * nothing is batched and nothing masked. The reader is the size of the message buffers
     * ({@link #MESSAGE_BUFFER}) and of the socket read buffer ({@link #READ_BUFFER}), so a frame that
     * fits goes from the socket into it in one read and from it into the message buffer in one step.
     */
    static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    /** Before Spring MVC's controller mappings (order 0). */
    private static final int HANDSHAKES_FIRST = -1;

    /**
     * Tomcat's timeout for asynchronous sends, off: with 0 it neither registers each send in its
     * server-wide timeout set nor times the write out in its poller ({@link SendTimeLimit} does).
     */
    private static final long NO_CONTAINER_SEND_TIMEOUT = 0;

    /** How long a close frame or ping to an unresponsive peer may block before the socket is dropped. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final ChatService chat;
    private final GameService games;
    private final ChatProperties properties;
    private final SecurityProperties security;
    private final Rejections rejections;
    private final HandshakeRefusal refusal;
    private final OriginCheck originCheck;
    private final TokenCheck tokenCheck;
    private final ConnectionLimits connectionLimits;
    private final LimitsProperties.Echo echoLimits;
    private final Clock clock;
    private final ThreadPoolTaskExecutor closeExecutor;
    private final OpenConnections connections;
    private final PollerReads pollerReads = new PollerReads();
    private final GracefulShutdown shutdown;
    private final TokenExpiry tokenExpiry;

    WebSocketConfig(ChatService chat, GameService games, ChatProperties properties, SecurityProperties security, ShutdownProperties shutdown,
                    Rejections rejections, HandshakeRefusal refusal, OriginCheck originCheck, TokenCheck tokenCheck,
                    ConnectionLimits connectionLimits, LimitsProperties limits, Clock clock) {
        this.chat = chat;
        this.games = games;
        this.properties = properties;
        this.security = security;
        this.rejections = rejections;
        this.refusal = refusal;
        this.originCheck = originCheck;
        this.tokenCheck = tokenCheck;
        this.connectionLimits = connectionLimits;
        this.echoLimits = limits.echo();
        this.clock = clock;
        this.closeExecutor = new ThreadPoolTaskExecutor();
        closeExecutor.setThreadNamePrefix("ws-close-");
        closeExecutor.setCorePoolSize(2);
        closeExecutor.setMaxPoolSize(2);
        closeExecutor.setQueueCapacity(100_000);
        closeExecutor.initialize();
        this.connections = new OpenConnections(properties.outbound().bufferLimit().toBytes(),
                (int) properties.maxFrameSize().toBytes(), CLOSE_TIMEOUT.toMillis(),
                closeExecutor, rejections);
        this.shutdown = new GracefulShutdown(connections, shutdown.drainTimeout(), CLOSE_TIMEOUT, refusal);
        this.tokenExpiry = new TokenExpiry(rejections);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Matched before the controllers' mappings, not after them (Spring's default): no controller shares these
        // paths, and a handshake no longer tries every @RequestMapping first (in a warm profile of 19,000 handshakes
        // that matching was about 3% of their CPU).
        if (registry instanceof ServletWebSocketHandlerRegistry servletRegistry) {
            servletRegistry.setOrder(HANDSHAKES_FIRST);
        }
        registry.addHandler(connectionLimits.releasingOnClose(new ChatWebSocketHandler(chat, connections, tokenExpiry)), "/chat")
                .setHandshakeHandler(handshake())
                .addInterceptors(new RequireGetInterceptor(refusal), shutdown, originCheck, tokenCheck, connectionLimits,
                        new HandshakeRecorder(), new ChatHandshakeInterceptor(properties.defaultRoom(), chat, refusal))
                // OriginCheck decides first (and logs and counts); Spring's own check, given the same patterns, agrees.
                .setAllowedOriginPatterns(security.allowedOrigins().toArray(String[]::new));
        // The game is chat plus a simulation: the same guards, and the binary subprotocol offered.
        var gameHandshake = handshake();
        gameHandshake.setSupportedProtocols(GameWebSocketHandler.BINARY_PROTOCOL, GameWebSocketHandler.JSON_PROTOCOL);
        registry.addHandler(connectionLimits.releasingOnClose(new GameWebSocketHandler(chat, games, connections, rejections, tokenExpiry)), "/game/ws")
                .setHandshakeHandler(gameHandshake)
                .addInterceptors(new RequireGetInterceptor(refusal), shutdown, originCheck, tokenCheck, connectionLimits,
                        new HandshakeRecorder(), new GameHandshakeInterceptor(chat, games, refusal))
                .setAllowedOriginPatterns(security.allowedOrigins().toArray(String[]::new));
        // The echo endpoints hold no user data, so any page may use them: that is the console lesson.
        registry.addHandler(echoHandler(), "/echo")
                .setHandshakeHandler(handshake())
                .addInterceptors(echoInterceptors())
                .setAllowedOriginPatterns("*");
    }

    @Bean
    WebSocketHandlerMapping rootEchoHandlerMapping() {
        var handler = new WebSocketHttpRequestHandler(echoHandler(), handshake());
        handler.setHandshakeInterceptors(List.of(echoInterceptors()));
        var mapping = new WebSocketHandlerMapping();
        mapping.setUrlMap(Map.of("/", handler));
        mapping.setWebSocketUpgradeMatch(true);
        mapping.setOrder(HANDSHAKES_FIRST);
        return mapping;
    }

    /**
     * The container's per-session buffers, small (see {@link #MESSAGE_BUFFER}); the handlers take
     * partial messages and enforce {@code chat.max-frame-size} themselves. Async sends have no timeout
     * of the container's: {@link SendTimeLimit} enforces {@code chat.outbound.send-time-limit}.
     */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        var container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MESSAGE_BUFFER);
        container.setMaxBinaryMessageBufferSize(MESSAGE_BUFFER);
        container.setAsyncSendTimeout(NO_CONTAINER_SEND_TIMEOUT);
        return container;
    }

    /**
     * Tomcat's per-connection socket buffers (8 KB each by default) are held for the life of a
     * WebSocket connection: {@link #READ_BUFFER} and {@link #WRITE_BUFFER}. Three buffers of each
     * WebSocket session are small too (see {@link #TOMCAT_WEBSOCKET_BUFFER}).
     */
    @Bean
    TomcatConnectorCustomizer smallSocketBuffers() {
        return connector -> {
            if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
                System.setProperty(TOMCAT_WEBSOCKET_BUFFER, String.valueOf(MESSAGE_BUFFER));
            }
            connector.setProperty("socket.appReadBufSize", String.valueOf(READ_BUFFER));
            connector.setProperty("socket.appWriteBufSize", String.valueOf(WRITE_BUFFER));
        };
    }

    /**
     * Tomcat's request threads as {@code server.tomcat.threads.*} configure them, in an executor that
     * lets a send completed at once finish on the sending thread ({@link SendCompletionExecutor}).
     * Tomcat starts and stops it with the server.
     */
    @Bean
    TomcatConnectorCustomizer sendCompletionsOnTheSendingThread(TomcatServerProperties tomcat) {
        TomcatServerProperties.Threads threads = tomcat.getThreads();
        return connector -> {
            // An executor set before this (Spring Boot's virtual threads) is left as it is.
            if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol && protocol.getExecutor() == null) {
                var executor = new SendCompletionExecutor(pollerReads);
                String name = protocol.getName().replace("\"", ""); // quoted for JMX
                executor.setName(name + "-exec");
                executor.setNamePrefix(name + "-exec-");
                executor.setMaxThreads(threads.getMax());
                executor.setMinSpareThreads(threads.getMinSpare());
                executor.setMaxQueueSize(threads.getMaxQueueCapacity());
                protocol.setExecutor(executor);
            }
        };
    }

    @Bean(destroyMethod = "close")
    PollerReads webSocketPollerReads() {
        return pollerReads;
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolTaskExecutor webSocketCloseExecutor() {
        return closeExecutor;
    }

    @Bean(destroyMethod = "shutdown")
    TokenExpiry webSocketTokenExpiry() {
        return tokenExpiry;
    }

    @Bean
    GracefulShutdown webSocketGracefulShutdown() {
        return shutdown;
    }

    @Bean
    SendTimeLimit webSocketSendTimeLimit() {
        return new SendTimeLimit(connections, properties.outbound().sendTimeLimit());
    }

    @Bean
    Heartbeat webSocketHeartbeat(HeartbeatProperties heartbeat) {
        return new Heartbeat(connections, heartbeat, rejections);
    }

    private WebSocketHandler echoHandler() {
        return connectionLimits.releasingOnClose(new EchoWebSocketHandler(connections, pollerReads, rejections, clock,
                echoLimits.rate().messagesPerSecond(), echoLimits.rate().burst()));
    }

    private DefaultHandshakeHandler handshake() {
        return new DefaultHandshakeHandler(new LeanUpgradeStrategy(properties.permessageDeflate()));
    }

    private HandshakeInterceptor[] echoInterceptors() {
        return new HandshakeInterceptor[] {new RequireGetInterceptor(refusal), shutdown, connectionLimits, connectionLimits.echoCap()};
    }
}
