package echolab.bench.peers;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.ServerCommand;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.AttributeKey;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * Reference peer, not a teaching file: the echo server a user would write with Netty instead of
 * hand-rolling one. Netty's native epoll transport (or, as the peer netty-uring, its io_uring transport;
 * {@value #TRANSPORT} chooses), one event loop per core (Netty's default is twice that), pooled buffers,
 * and backpressure the Netty way: stop reading while the channel is not writable (outbound buffer above
 * its high water mark), read again once it drains.
 */
public final class NettyEchoServer implements EchoServer {

    /** The system property that chooses the transport: epoll (the default), io_uring, or nio. */
    public static final String TRANSPORT = "echolab.netty.transport";

    /** Netty's transports on Linux: the event loops' I/O handler and the listening channel's class. */
    public enum Transport {
        EPOLL, IO_URING, NIO;

        /** The transport {@value #TRANSPORT} names; when it names none, epoll where Netty has it, else NIO. */
        public static Transport chosen() {
            String name = System.getProperty(TRANSPORT, Epoll.isAvailable() ? "epoll" : "nio");
            for (Transport t : values()) {
                if (t.name().equalsIgnoreCase(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("-D" + TRANSPORT + "=" + name + ": choose epoll, io_uring or nio");
        }

        /** Why this transport cannot run here (its native library, or the kernel, refused); null when it can. */
        public String whyUnavailable() {
            Throwable cause = switch (this) {
                case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
                case NIO -> null;
            };
            return cause == null ? null : "Netty's " + name().toLowerCase() + " transport is not available here: " + cause;
        }

        IoHandlerFactory handler() {
            return switch (this) {
                case EPOLL -> EpollIoHandler.newFactory();
                case IO_URING -> IoUringIoHandler.newFactory();
                case NIO -> NioIoHandler.newFactory();
            };
        }

        Class<? extends ServerChannel> channel() {
            return switch (this) {
                case EPOLL -> EpollServerSocketChannel.class;
                case IO_URING -> IoUringServerSocketChannel.class;
                case NIO -> NioServerSocketChannel.class;
            };
        }
    }

    private static final AttributeKey<Closeable> CLOSER = AttributeKey.valueOf("echolab.closer");

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final Connections connections;
    private final CountDownLatch closed = new CountDownLatch(1);

    public NettyEchoServer(InetSocketAddress address, Connections connections) throws IOException {
        this.connections = connections;
        Transport transport = Transport.chosen();
        String unavailable = transport.whyUnavailable();
        if (unavailable != null) {
            throw new IOException(unavailable);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        boss = new MultiThreadIoEventLoopGroup(1, transport.handler());
        workers = new MultiThreadIoEventLoopGroup(threads, transport.handler());
        EchoHandler handler = new EchoHandler();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.channel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(handler);
                    }
                });
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable cause = bound.cause();
            if (cause instanceof IOException io) {
                if (io.getMessage() != null && io.getMessage().contains("in use")) {
                    throw new java.net.BindException("Address already in use");
                }
                throw io;
            }
            throw new IOException(cause);
        }
        listener = bound.channel();
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void serve() throws IOException {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        connections.stopping();
        listener.close().awaitUninterruptibly();
        workers.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        closed.countDown();
    }

    @Sharable
    private final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Closeable closer = ctx.channel()::close;
            ctx.channel().attr(CLOSER).set(closer);
            connections.opened(closer);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.closed(ctx.channel().attr(CLOSER).get());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {     // the client half-closed: finish, then close
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            connections.echoed(((ByteBuf) msg).readableBytes());
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);     // the client is not reading: stop reading it
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connections.failed(ctx.channel().attr(CLOSER).get(), cause instanceof Exception e ? e : new IOException(cause));
            ctx.close();
        }
    }

    public static void main(String[] args) {
        ServerCommand.run("netty-echo", NettyEchoServer::new, args);
    }
}
