package dev.vigil.agent.syslog;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** The Netty side of the gateway: UDP, TCP and TLS listeners feeding one {@link Sink}. */
public final class SyslogListeners implements Closeable {
  private static final Logger LOG = Logger.getLogger(SyslogListeners.class.getName());
  private static final int UDP_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final int UDP_QUEUE = 65_536;

  /** The largest UDP payload over IPv4 and IPv6 without jumbograms. */
  private static final int MAX_DATAGRAM = 65_536;

  /** Datagrams taken per read loop before they go to the parser threads as one batch. */
  private static final int UDP_READS_PER_LOOP = 64;

  /** Where decoded messages go. */
  public interface Sink {
    /**
     * Takes the messages one network read produced, in order (the list is reused by the caller once
     * this returns). Returns false when the pipeline is full and TCP reads should pause.
     */
    boolean accept(List<RawMessage> batch, boolean datagram);

    /** True when paused connections may resume reading. */
    boolean hasRoom();

    /** A message that could not even be queued for processing. */
    void dropped(RawMessage message, String reason);
  }

  /** Settings of the listeners. Ports of -1 disable a listener; 0 picks a free port. */
  public record Settings(
      String address,
      int udpPort,
      int tcpPort,
      int tlsPort,
      File tlsCert,
      File tlsKey,
      File tlsClientCa,
      ClientAuth clientAuth,
      int maxMessageBytes,
      int maxConnections,
      Duration idleTimeout,
      int udpReceiveBuffer,
      int maxConnectionsPerSource,
      Duration firstMessageTimeout) {}

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final java.util.concurrent.ExecutorService udpWorkers;
  private final Channel udp;
  private final Channel tcp;
  private final Channel tls;

  private SyslogListeners(
      EventLoopGroup boss,
      EventLoopGroup workers,
      java.util.concurrent.ExecutorService udpWorkers,
      Channel udp,
      Channel tcp,
      Channel tls) {
    this.boss = boss;
    this.workers = workers;
    this.udpWorkers = udpWorkers;
    this.udp = udp;
    this.tcp = tcp;
    this.tls = tls;
  }

  public static SyslogListeners start(Settings s, Sink sink, SyslogMetrics metrics, Clock clock)
      throws Exception {
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigil-syslog-accept", true), NioIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory("vigil-syslog-io", true), NioIoHandler.newFactory());
    Channel udp = null;
    Channel tcp = null;
    Channel tls = null;
    // One thread reads a UDP socket; parsing and journaling on more threads lets it drain the
    // kernel buffer faster. Bounded: when the queue is full, datagrams are dropped and counted.
    java.util.concurrent.ThreadPoolExecutor udpWorkers =
        new java.util.concurrent.ThreadPoolExecutor(
            UDP_THREADS,
            UDP_THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(UDP_QUEUE),
            new DefaultThreadFactory("vigil-syslog-udp", true),
            new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
    try {
      Set<Channel> paused = ConcurrentHashMap.newKeySet();
      if (s.udpPort() >= 0) {
        udp =
            new Bootstrap()
                .group(workers)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, s.udpReceiveBuffer())
                // Netty reads datagrams into 2 KiB by default, cutting longer ones unflagged. One
                // byte over the limit shows a cut datagram as longer than the limit: flagged.
                .option(
                    ChannelOption.RCVBUF_ALLOCATOR,
                    new DatagramBuffers(
                        Math.min(MAX_DATAGRAM, s.maxMessageBytes() + 1), UDP_READS_PER_LOOP))
                .handler(
                    new ChannelInitializer<NioDatagramChannel>() {
                      @Override
                      protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline()
                            .addLast(new SyslogDatagramDecoder(s.maxMessageBytes(), "udp", clock))
                            .addLast(new IngestHandler(sink, "udp", paused, udpWorkers, metrics));
                      }
                    })
                .bind(new InetSocketAddress(s.address(), s.udpPort()))
                .sync()
                .channel();
      }
      if (s.tcpPort() >= 0) {
        tcp = bindStream(boss, workers, s, null, "tcp", sink, metrics, clock, paused);
      }
      if (s.tlsPort() >= 0 && s.tlsCert() != null) {
        SslContextBuilder b = SslContextBuilder.forServer(s.tlsCert(), s.tlsKey());
        if (s.tlsClientCa() != null) {
          b.trustManager(s.tlsClientCa());
        }
        b.clientAuth(s.clientAuth() == null ? ClientAuth.NONE : s.clientAuth());
        tls = bindStream(boss, workers, s, b.build(), "tls", sink, metrics, clock, paused);
      }
      SyslogListeners me = new SyslogListeners(boss, workers, udpWorkers, udp, tcp, tls);
      // Resume paused connections once the journal has room again.
      workers.scheduleAtFixedRate(
          () -> {
            if (!paused.isEmpty() && sink.hasRoom()) {
              for (Channel c : paused) {
                paused.remove(c);
                c.config().setAutoRead(true);
              }
            }
          },
          50,
          50,
          TimeUnit.MILLISECONDS);
      return me;
    } catch (Exception e) {
      udpWorkers.shutdownNow();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static Channel bindStream(
      EventLoopGroup boss,
      EventLoopGroup workers,
      Settings s,
      SslContext ssl,
      String name,
      Sink sink,
      SyslogMetrics metrics,
      Clock clock,
      Set<Channel> paused)
      throws InterruptedException {
    ConnectionGuard guard =
        new ConnectionGuard(
            name,
            s.maxConnections(),
            s.maxConnectionsPerSource(),
            s.idleTimeout(),
            s.firstMessageTimeout(),
            new ConnectionGuard.Events() {
              @Override
              public void refused(ConnectionGuard.Reason reason) {
                metrics.connectionsRejected.labelValues(name, reason.label).inc();
              }

              @Override
              public void closed(ConnectionGuard.Reason reason) {
                metrics.connectionsClosed.labelValues(name, reason.label).inc();
              }
            },
            System::nanoTime);
    workers.scheduleAtFixedRate(guard::sweep, 1, 1, TimeUnit.SECONDS);
    int port = ssl == null ? s.tcpPort() : s.tlsPort();
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (!guard.admit(ch)) {
                  return;
                }
                metrics.connections.labelValues(name).inc();
                ch.closeFuture()
                    .addListener(
                        f -> {
                          metrics.connections.labelValues(name).dec();
                          paused.remove(ch);
                        });
                if (ssl != null) {
                  ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                }
                ch.pipeline()
                    .addLast(new PeerErrorCloser(name, metrics))
                    .addLast(new SyslogFrameDecoder(s.maxMessageBytes(), name, clock))
                    .addLast(guard.activity())
                    .addLast(new IngestHandler(sink, name, paused, null, metrics));
              }
            })
        .bind(new InetSocketAddress(s.address(), port))
        .sync()
        .channel();
  }

  /** Why a stream connection that raised an error was closed: a label of the closed counter. */
  static String errorReason(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        // Netty could not allocate a read buffer (direct memory at its bound): the data in flight
        // on this connection is lost.
        return "no_memory";
      }
      if (t instanceof javax.net.ssl.SSLException
          || t instanceof io.netty.handler.ssl.NotSslRecordException) {
        return "tls_error";
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return "peer_error";
      }
    }
    return "error";
  }

  /**
   * Closes a stream connection whose read failed, and counts it by reason. A connection the guard
   * or the peer already closed is not counted again; a failed TLS handshake is, although Netty's
   * TLS handler has closed the connection itself before the error reaches this handler.
   */
  private static void closeOnError(
      ChannelHandlerContext ctx, Throwable cause, String listener, SyslogMetrics metrics) {
    String reason = errorReason(cause);
    if (!ctx.channel().isActive() && !"tls_error".equals(reason)) {
      return;
    }
    metrics.connectionsClosed.labelValues(listener, reason).inc();
    if ("no_memory".equals(reason)) {
      LOG.warning(
          listener
              + " listener: closed the connection from "
              + ctx.channel().remoteAddress()
              + ", no memory for its read buffer ("
              + cause.getMessage()
              + "); raise -XX:MaxDirectMemorySize (VIGIL_AGENT_JAVA_OPTS) or lower"
              + " limits.maxConnections");
    } else {
      // TLS handshake failures and resets are the peer's problem; log briefly.
      LOG.fine(
          "closing connection from " + ctx.channel().remoteAddress() + ": " + cause.getMessage());
    }
    ctx.close();
  }

  private static final class PeerErrorCloser extends ChannelInboundHandlerAdapter {
    private final String listener;
    private final SyslogMetrics metrics;

    PeerErrorCloser(String listener, SyslogMetrics metrics) {
      this.listener = listener;
      this.metrics = metrics;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnError(ctx, cause, listener, metrics);
    }
  }

  /**
   * Gathers the messages of one network read and hands them to the sink together at the end of the
   * read: the journal and the archive are locked once per read instead of once per message. One
   * instance per channel.
   */
  private static final class IngestHandler extends ChannelInboundHandlerAdapter {
    private final Sink sink;
    private final String name;
    private final boolean datagram;
    private final Set<Channel> paused;
    private final java.util.concurrent.Executor offload;
    private final SyslogMetrics metrics;
    private List<RawMessage> batch = new ArrayList<>();

    IngestHandler(
        Sink sink,
        String name,
        Set<Channel> paused,
        java.util.concurrent.Executor offload,
        SyslogMetrics metrics) {
      this.metrics = metrics;
      this.sink = sink;
      this.name = name;
      this.datagram = "udp".equals(name);
      this.paused = paused;
      this.offload = offload;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof RawMessage) {
        batch.add((RawMessage) msg);
      } else if (msg instanceof List) {
        batch.addAll((List<RawMessage>) msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      deliver(ctx);
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      deliver(ctx);
      super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      deliver(ctx);
    }

    private void deliver(ChannelHandlerContext ctx) {
      if (batch.isEmpty()) {
        return;
      }
      if (offload != null) {
        // The worker owns this list now; the next read fills a new one.
        List<RawMessage> mine = batch;
        batch = new ArrayList<>(Math.max(16, mine.size()));
        try {
          offload.execute(() -> sink.accept(mine, true));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          for (RawMessage m : mine) {
            sink.dropped(m, "queue_full");
          }
        }
        return;
      }
      boolean room;
      try {
        room = sink.accept(batch, datagram);
      } finally {
        batch.clear();
      }
      if (!room && !datagram) {
        // Backpressure: TCP senders block in their socket buffer instead of us buffering.
        ctx.channel().config().setAutoRead(false);
        paused.add(ctx.channel());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (datagram) {
        LOG.fine(name + " listener: " + cause.getMessage());
      } else {
        closeOnError(ctx, cause, name, metrics);
      }
    }
  }

  public int udpPort() {
    return udp == null ? -1 : ((InetSocketAddress) udp.localAddress()).getPort();
  }

  public int tcpPort() {
    return tcp == null ? -1 : ((InetSocketAddress) tcp.localAddress()).getPort();
  }

  public int tlsPort() {
    return tls == null ? -1 : ((InetSocketAddress) tls.localAddress()).getPort();
  }

  /** Stops accepting, lets the event loops finish what they decoded, then returns. */
  @Override
  public void close() {
    for (Channel c : new Channel[] {udp, tcp, tls}) {
      if (c != null) {
        c.close().syncUninterruptibly();
      }
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    // Datagrams already queued are processed before the journal closes.
    udpWorkers.shutdown();
    try {
      if (!udpWorkers.awaitTermination(5, TimeUnit.SECONDS)) {
        udpWorkers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      udpWorkers.shutdownNow();
    }
  }
}
