package io.wschat.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

/**
 * The load generator's WebSocket client: Netty on a small fixed event loop, so thousands of
 * connections cost no thread each and the generator leaves the cores to the server under test.
 * Frames are handed to a {@link Listener} as raw bytes, never decoded to strings: the scenarios
 * look for their marker in the bytes, which keeps the generator cheap while a server sends large
 * presence frames.
 */
final class LoadClient implements AutoCloseable {

    /** What a scenario does with one connection's frames. Called on the connection's event loop. */
    interface Listener {
        /**
         * @param payload the frame's bytes, valid only during the call
         * @param whole   the frame is a complete text message (not a fragment of a longer one)
         */
        void onText(Connection connection, ByteBuf payload, boolean whole);

        /** @param code the close code the server sent, 1006 when the connection ended without one */
        default void onClosed(Connection connection, int code) {
        }
    }

    /** Larger than any frame the servers send, so the generator never refuses one (presence frames can be large). */
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    /** How long after the close frames the server has to close the TCP connection before the generator does. */
    private static final int CLOSE_TIMEOUT_SECONDS = 5;
    private final EventLoopGroup group;
    private final int timeoutMillis;

    /** @param timeout for the TCP connect and again for the WebSocket handshake */
    LoadClient(int threads, Duration timeout) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    EventLoopGroup group() {
        return group;
    }

    /**
     * Opens a WebSocket from {@code source} (an address of the loopback range, so that many
     * connections do not exhaust one address's ephemeral ports) and completes when the handshake has.
     */
    CompletableFuture<Connection> connect(URI uri, InetSocketAddress source, Listener listener) {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .maxFramePayloadLength(MAX_FRAME)
                .handleCloseFrames(false)
                .handshakeTimeoutMillis(timeoutMillis)
                .generateOriginHeader(false)
                .withUTF8Validator(false)
                .build();
        Connection connection = new Connection(listener, opened);
        new Bootstrap().group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(config), connection);
                    }
                })
                .connect(new InetSocketAddress(uri.getHost(), uri.getPort()), source)
                .addListener((ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        opened.completeExceptionally(future.cause());
                    }
                });
        return opened;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection; its methods may be called from any thread. */
    static final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> {

        private final Listener listener;
        private final CompletableFuture<Connection> opened;
        private volatile Channel channel;
        private volatile boolean closedByUs;
        private int closeCode = 1006;
        private boolean inFragmentedMessage;

        private Connection(Listener listener, CompletableFuture<Connection> opened) {
            this.listener = listener;
            this.opened = opened;
        }

        void send(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }

        boolean isOpen() {
            Channel ch = channel;
            return ch != null && ch.isActive();
        }

        /** Closes with 1000; the listener's {@code onClosed} still runs, and {@link #closedByUs()} then says why. */
        CompletableFuture<Void> close() {
            closedByUs = true;
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Channel ch = channel;
            if (ch == null) {
                closed.complete(null);
                return closed;
            }
            ch.closeFuture().addListener(f -> closed.complete(null));
            if (ch.isActive()) {
                ch.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
                closeUnlessTheServerDoes(ch);
            }
            return closed;
        }

        /**
         * After the close frames the server closes the TCP connection first and holds its TIME_WAIT (RFC 6455
         * section 7.1.1); closing here as soon as our frame was written left every connection's port of the
         * generator in TIME_WAIT for a minute, and with tens of thousands of them the kernel's search for a free
         * port took most of the generator's CPU. So this side closes only if the server has not within the timeout.
         */
        private static void closeUnlessTheServerDoes(Channel ch) {
            ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> ch.close(), CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ch.closeFuture().addListener(f -> deadline.cancel(false));
        }

        boolean closedByUs() {
            return closedByUs;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                opened.complete(this);
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new IllegalStateException("handshake timed out"));
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame) {
                boolean whole = frame.isFinalFragment();
                inFragmentedMessage = !whole;
                listener.onText(this, frame.content(), whole);
            } else if (frame instanceof ContinuationWebSocketFrame) {
                if (inFragmentedMessage) {
                    listener.onText(this, frame.content(), false);
                }
                inFragmentedMessage = !frame.isFinalFragment();
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
                if (!closedByUs) {
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, ""));
                    closeUnlessTheServerDoes(ctx.channel());
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (opened.isDone() && !opened.isCompletedExceptionally()) {
                listener.onClosed(this, closeCode);
            } else {
                opened.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** Reads a non-negative decimal number at {@code index}; -1 if there is none, or it does not end with {@code end}. */
    static long number(ByteBuf bytes, int index, byte end) {
        long value = 0;
        int digits = 0;
        for (int i = index; i < bytes.writerIndex(); i++) {
            byte b = bytes.getByte(i);
            if (b == end) {
                return digits == 0 ? -1 : value;
            }
            if (b < '0' || b > '9' || digits == 18) {
                return -1;
            }
            value = value * 10 + (b - '0');
            digits++;
        }
        return -1;
    }
}
