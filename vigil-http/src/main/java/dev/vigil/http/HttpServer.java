package dev.vigil.http;

import dev.vigil.base.NamedThreads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The HTTP server of an agent process: one set of event-loop threads and one bounded handler pool
 * behind any number of listeners, each with its own address, port, routes and {@link Limits}.
 *
 * <p>Nothing a client does can hold a thread: reading happens on the event loops, a request that
 * does not arrive in time is answered 408, one that is too large 413/414/431, a connection over the
 * listener's or its source's limit 503 on arrival. Routes that may block run on the handler pool;
 * when its queue is full the request is answered 503.
 */
public final class HttpServer implements Closeable {
  private static final Logger LOG = Logger.getLogger(HttpServer.class.getName());

  private static final AttributeKey<String> REFUSED = AttributeKey.valueOf("vigil-http-refused");

  private final EventLoopGroup loops;
  final ThreadPoolExecutor handlers;
  final HttpMetrics metrics;
  private final Duration grace;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Map<String, Bound> bound = new LinkedHashMap<>();
  final InFlight inFlight = new InFlight();
  volatile boolean closing;

  /** Requests being answered, so that closing can wait for them. */
  static final class InFlight {
    private int count;

    synchronized void begin() {
      count++;
    }

    synchronized void end() {
      if (--count == 0) {
        notifyAll();
      }
    }

    synchronized void awaitNone(Duration atMost) {
      long deadline = System.nanoTime() + atMost.toNanos();
      long left;
      while (count > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** A listener as bound: its server channel, port and connection counts. */
  record Bound(
      Listener listener, ConnectionGate gate, RateLimitedLog log, Channel channel, int port) {}

  private HttpServer(Builder b) {
    this.loops =
        new MultiThreadIoEventLoopGroup(
            b.ioThreads, NamedThreads.daemon("vigil-http-io"), NioIoHandler.newFactory());
    this.handlers =
        new ThreadPoolExecutor(
            b.handlerThreads,
            b.handlerThreads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(b.handlerQueue),
            NamedThreads.daemon("vigil-http-handler"),
            new ThreadPoolExecutor.AbortPolicy());
    this.metrics = new HttpMetrics(b.registry);
    this.grace = b.shutdownGrace;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Server settings; the listeners given here are bound by {@link #buildAndStart()}. */
  public static final class Builder {
    private final List<Listener> listeners = new ArrayList<>();
    private PrometheusRegistry registry;
    private int ioThreads = 2;
    private int handlerThreads = 2;
    private int handlerQueue = 32;
    private Duration shutdownGrace = Duration.ofSeconds(5);

    public Builder listener(Listener l) {
      listeners.add(l);
      return this;
    }

    /** Where the server's own metrics ({@code vigil_http_*}) go; none when not set. */
    public Builder registry(PrometheusRegistry r) {
      this.registry = r;
      return this;
    }

    public Builder ioThreads(int n) {
      this.ioThreads = atLeastOne(n, "ioThreads");
      return this;
    }

    /** Threads for blocking routes and how many requests may wait for one. */
    public Builder handlers(int threads, int queue) {
      this.handlerThreads = atLeastOne(threads, "handler threads");
      this.handlerQueue = atLeastOne(queue, "handler queue");
      return this;
    }

    /** How long {@link #close()} lets requests being answered finish. */
    public Builder shutdownGrace(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative");
      }
      this.shutdownGrace = d;
      return this;
    }

    private static int atLeastOne(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, got " + n);
      }
      return n;
    }

    public HttpServer buildAndStart() throws IOException {
      HttpServer s = new HttpServer(this);
      try {
        for (Listener l : listeners) {
          s.listen(l);
        }
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      return s;
    }
  }

  /**
   * Binds one more listener on this server's threads and returns its port.
   *
   * @throws BindException when the address is taken or not this host's
   */
  public int listen(Listener l) throws IOException {
    synchronized (bound) {
      if (closing) {
        throw new IllegalStateException("the HTTP server is closed");
      }
      if (bound.containsKey(l.name())) {
        throw new IllegalArgumentException("a listener named " + l.name() + " is already bound");
      }
    }
    ConnectionGate gate = new ConnectionGate(l.limits());
    RateLimitedLog log = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    // Connections may arrive before bind() returns: they see the listener through this.
    Bound self = new Bound(l, gate, log, null, 0);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object child) {
                    admit(self, (Channel) child);
                    ctx.fireChannelRead(child);
                  }
                })
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted(self, ch);
                  }
                });
    ChannelFuture f = b.bind(new InetSocketAddress(l.address(), l.port())).awaitUninterruptibly();
    if (!f.isSuccess()) {
      Throwable c = f.cause();
      String where = l.name() + " listener " + l.address() + ":" + l.port() + ": " + c.getMessage();
      IOException e =
          c instanceof BindException ? new BindException(where) : new IOException(where);
      e.initCause(c);
      throw e;
    }
    int port = ((InetSocketAddress) f.channel().localAddress()).getPort();
    synchronized (bound) {
      bound.put(l.name(), new Bound(l, gate, log, f.channel(), port));
    }
    metrics.connections.labelValues(l.name()).set(0);
    LOG.info("http " + l.name() + " listening on " + l.address() + ":" + port);
    return port;
  }

  /**
   * Counts a new connection against the listener's limits. Runs on the listener's accepting thread,
   * so connections are admitted strictly in the order they arrived.
   */
  private void admit(Bound b, Channel child) {
    InetAddress source = ((InetSocketAddress) child.remoteAddress()).getAddress();
    connections.add(child);
    String refused = closing ? "closing" : b.gate().admit(source);
    child.attr(REFUSED).set(refused == null ? "" : refused);
    if (refused != null) {
      return;
    }
    String name = b.listener().name();
    metrics.connections.labelValues(name).inc();
    child
        .closeFuture()
        .addListener(
            x -> {
              b.gate().release(source);
              metrics.connections.labelValues(name).dec();
            });
  }

  private void accepted(Bound b, SocketChannel ch) {
    String refused = ch.attr(REFUSED).get();
    if (refused == null || !refused.isEmpty()) {
      refuse(b, ch, refused == null ? "closing" : refused);
      return;
    }
    Limits limits = b.listener().limits();
    Connection conn = new Connection(this, b.listener());
    ch.pipeline()
        .addLast("bytes", conn.byteWatch())
        .addLast(
            "codec",
            new HttpServerCodec(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(limits.maxInitialLineBytes())
                    .setMaxHeaderSize(limits.maxHeaderBytes())
                    .setMaxChunkSize(8192)))
        .addLast("requests", conn);
  }

  /**
   * 503 and close, without reading the request. The write side is shut first and whatever the
   * client sent is discarded for a moment, so the client reads the answer instead of a reset.
   */
  private void refuse(Bound b, SocketChannel ch, String reason) {
    String name = b.listener().name();
    if (!reason.equals("closing")) {
      metrics.connectionsRejected.labelValues(name, reason).inc();
      b.log()
          .warn(
              "http "
                  + name
                  + ": refused a connection from "
                  + ch.remoteAddress().getAddress().getHostAddress()
                  + ": "
                  + (reason.equals("source")
                      ? "that address already has "
                          + b.listener().limits().maxConnectionsPerSource()
                          + " connections"
                      : "the listener already has "
                          + b.listener().limits().maxConnections()
                          + " connections"));
    }
    metrics.responses.labelValues(name, "503").inc();
    ch.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
    String body = reason.equals("closing") ? "shutting down\n" : "too many connections\n";
    ByteBuf answer =
        Unpooled.copiedBuffer(
            "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n"
                + "Retry-After: 1\r\n"
                + "Connection: close\r\n\r\n"
                + body,
            StandardCharsets.US_ASCII);
    ch.writeAndFlush(answer)
        .addListener(
            f ->
                ch.shutdownOutput()
                    .addListener(
                        x -> ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS)));
  }

  /** Port of the first listener. */
  public int getPort() {
    synchronized (bound) {
      if (bound.isEmpty()) {
        throw new IllegalStateException("the HTTP server has no listener");
      }
      return bound.values().iterator().next().port();
    }
  }

  /** Port of the named listener. */
  public int port(String listener) {
    synchronized (bound) {
      Bound b = bound.get(listener);
      if (b == null) {
        throw new IllegalArgumentException(
            "no listener named " + listener + "; have " + bound.keySet());
      }
      return b.port();
    }
  }

  /** Open connections of the named listener (admitted ones; refused ones are not counted). */
  public int openConnections(String listener) {
    synchronized (bound) {
      Bound b = bound.get(listener);
      return b == null ? 0 : b.gate().open();
    }
  }

  /**
   * Stops accepting, lets requests being answered finish for the shutdown grace (their responses
   * carry {@code Connection: close}), then closes every connection and stops the threads.
   */
  @Override
  public void close() {
    List<Bound> all;
    synchronized (bound) {
      if (closing) {
        return;
      }
      closing = true;
      all = new ArrayList<>(bound.values());
    }
    for (Bound b : all) {
      b.channel().close().awaitUninterruptibly();
    }
    inFlight.awaitNone(grace);
    connections.close().awaitUninterruptibly(grace.toMillis() + 1000);
    handlers.shutdownNow();
    loops
        .shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(grace.toMillis() + 1000);
    metrics.unregister();
  }
}
