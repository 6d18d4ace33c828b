package dev.vigil.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: assembles requests from the codec's parts within the listener's limits,
 * answers them strictly in the order they came (pipelining), and keeps the one timer that bounds
 * how long the client may take. All of it runs on the connection's event loop, so the state needs
 * no locks; blocking routes run on the handler pool and hand their response back to the loop.
 */
final class Connection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(Connection.class.getName());
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** A request to answer, or an answer already decided (an error that ends the connection). */
  private record Pending(Request request, HttpVersion version, boolean keepAlive, Response fixed) {
    boolean head() {
      return request != null && request.method().equals("HEAD");
    }
  }

  private final HttpServer server;
  private final Listener listener;
  private final Limits limits;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;

  /** Headers of the request whose body is being read, or null. */
  private HttpRequest head;

  private ByteArrayOutputStream body;

  /** After an answer that closes the connection: everything else the client sends is dropped. */
  private boolean discarding;

  private boolean answering;

  /** After an error answer: the write side is shut and input is drained until the close. */
  private boolean lingering;

  /** When the response being written was handed to the socket, 0 when none is being written. */
  private long writingSince;

  private int answered;

  /** When the connection began waiting for its next request (accepted, or last answer written). */
  private long waitingSince = System.nanoTime();

  /** First byte of the request being read, 0 when none has come since the last complete request. */
  private long firstByteAt;

  /** When the headers of the request being read were complete, 0 when not yet. */
  private long headersAt;

  Connection(HttpServer server, Listener listener) {
    this.server = server;
    this.listener = listener;
    this.limits = listener.limits();
  }

  /** Sits before the codec and notes when bytes of a new request start to arrive. */
  ChannelHandler byteWatch() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext c, Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable() && firstByteAt == 0 && headersAt == 0) {
          firstByteAt = System.nanoTime();
          if (!answering && queue.isEmpty()) {
            arm();
          }
        }
        c.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    queue.clear();
    head = null;
    body = null;
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.FINE, "http " + listener.name() + ": closing a connection: " + cause);
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (discarding) {
        return;
      }
      if (msg instanceof HttpRequest r) {
        startRequest(r);
      }
      if (!discarding && head != null && msg instanceof HttpContent c) {
        content(c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(HttpRequest r) {
    DecoderResult result = r.decoderResult();
    if (result.isFailure()) {
      Throwable c = result.cause();
      if (c instanceof TooLongHttpLineException) {
        refuse(414, "request line longer than " + limits.maxInitialLineBytes() + " bytes");
      } else if (c instanceof TooLongHttpHeaderException) {
        refuse(431, "header section larger than " + limits.maxHeaderBytes() + " bytes");
      } else {
        refuse(400, "bad request: " + c.getMessage());
      }
      return;
    }
    if (!r.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && !r.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      refuse(505, "HTTP/1.0 and HTTP/1.1 only");
      return;
    }
    headersAt = System.nanoTime();
    long length = HttpUtil.getContentLength(r, -1L);
    if (length > limits.maxBodyBytes()) {
      refuse(413, "body larger than " + limits.maxBodyBytes() + " bytes");
      return;
    }
    head = r;
    body = new ByteArrayOutputStream(length > 0 ? (int) length : 0);
    if (HttpUtil.is100ContinueExpected(r) && !answering && queue.isEmpty()) {
      // Written below the codec: it is an interim answer, not the response to this request.
      ctx.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
    }
    if (!answering && queue.isEmpty()) {
      arm();
    }
  }

  private void content(HttpContent c) {
    if (c.decoderResult().isFailure()) {
      refuse(400, "bad request body: " + c.decoderResult().cause().getMessage());
      return;
    }
    ByteBuf data = c.content();
    if (body.size() + data.readableBytes() > limits.maxBodyBytes()) {
      refuse(413, "body larger than " + limits.maxBodyBytes() + " bytes");
      return;
    }
    byte[] chunk = new byte[data.readableBytes()];
    data.readBytes(chunk);
    body.write(chunk, 0, chunk.length);
    if (c instanceof LastHttpContent) {
      Request request = request(head, body.toByteArray());
      enqueue(new Pending(request, head.protocolVersion(), HttpUtil.isKeepAlive(head), null));
      head = null;
      body = null;
      firstByteAt = 0;
      headersAt = 0;
    } else if (!answering && queue.isEmpty()) {
      arm();
    }
  }

  private Request request(HttpRequest r, byte[] content) {
    QueryStringDecoder uri = new QueryStringDecoder(r.uri());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : r.headers().names()) {
      headers.put(name, r.headers().getAll(name));
    }
    String query = uri.rawQuery();
    return new Request(
        r.method().name(),
        uri.path(),
        query.isEmpty() ? null : query,
        headers,
        content,
        ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress());
  }

  /** Answers {@code status} once the answers before it are written, then closes. */
  private void refuse(int status, String why) {
    discarding = true;
    head = null;
    body = null;
    enqueue(new Pending(null, HttpVersion.HTTP_1_1, false, Response.text(status, why + "\n")));
  }

  private void enqueue(Pending p) {
    if (queue.size() >= limits.maxPipelined()) {
      LOG.fine(
          "http "
              + listener.name()
              + ": more than "
              + limits.maxPipelined()
              + " pipelined requests; closing");
      ctx.close();
      return;
    }
    queue.add(p);
    next();
  }

  /** Starts answering the oldest request unless one is being answered. */
  private void next() {
    if (answering || queue.isEmpty()) {
      arm();
      return;
    }
    Pending p = queue.poll();
    answering = true;
    arm();
    server.inFlight.begin();
    if (p.fixed() != null) {
      write(p, p.fixed());
      return;
    }
    Routes routes = listener.routesFor(p.request().path());
    if (routes == null) {
      write(p, Response.text(404, "not found\n"));
    } else if (!routes.blocking()) {
      write(p, call(routes, p.request()));
    } else {
      try {
        server.handlers.execute(
            () -> {
              Response r = call(routes, p.request());
              ctx.executor().execute(() -> write(p, r));
            });
      } catch (RejectedExecutionException e) {
        write(p, Response.text(503, "busy\n").withHeader("Retry-After", "1"));
      }
    }
  }

  private Response call(Routes routes, Request r) {
    try {
      Response response = routes.handle(r);
      if (response == null) {
        throw new IllegalStateException("no response");
      }
      return response;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "http " + listener.name() + ": " + r.method() + " " + r.path() + " failed",
          e);
      return Response.text(500, "internal error\n");
    }
  }

  private void write(Pending p, Response r) {
    if (!ctx.channel().isActive()) {
      server.inFlight.end();
      return;
    }
    boolean keepAlive = p.fixed() == null && p.keepAlive() && !server.closing;
    byte[] content = p.head() ? new byte[0] : r.body();
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            p.version(), HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(content));
    r.headers().forEach((k, v) -> out.headers().set(k, v));
    if (!(p.head() && r.header("Content-Length") != null)) {
      out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    }
    if (!keepAlive) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (p.version().equals(HttpVersion.HTTP_1_0)) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    server.metrics.responses.labelValues(listener.name(), Integer.toString(r.status())).inc();
    writingSince = System.nanoTime();
    arm();
    ctx.writeAndFlush(out)
        .addListener(
            f -> {
              writingSince = 0;
              server.inFlight.end();
              answering = false;
              answered++;
              waitingSince = System.nanoTime();
              if (!f.isSuccess()) {
                ctx.close();
              } else if (p.fixed() != null) {
                linger();
              } else if (!keepAlive) {
                ctx.close();
              } else {
                next();
              }
            });
  }

  /**
   * Closes after an error answer without losing it: closing a socket with unread input makes the
   * kernel send a reset, and a client still sending its (oversized) request would never read the
   * answer. So the write side is shut, input is read and dropped, and the socket closes after a
   * moment or when the client closes.
   */
  private void linger() {
    lingering = true;
    discarding = true;
    cancelTimer();
    ctx.channel().config().setAutoRead(true);
    ((io.netty.channel.socket.SocketChannel) ctx.channel())
        .shutdownOutput()
        .addListener(x -> ctx.executor().schedule(() -> ctx.close(), 2, TimeUnit.SECONDS));
  }

  /**
   * Sets the one timer for what the connection is waiting for, and reads only while no answer is
   * pending (so a pipelining client cannot queue more than {@link Limits#maxPipelined()}).
   */
  private void arm() {
    if (lingering) {
      return;
    }
    cancelTimer();
    boolean idle = !answering && queue.isEmpty();
    if (ctx.channel().config().isAutoRead() != idle) {
      ctx.channel().config().setAutoRead(idle);
    }
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (writingSince != 0) {
      // A client that does not read what it asked for must not hold the connection.
      timer =
          ctx.executor()
              .schedule(
                  (Runnable) ctx::close,
                  Math.max(0, writingSince + limits.writeTimeout().toNanos() - now),
                  TimeUnit.NANOSECONDS);
      return;
    }
    if (!idle) {
      return;
    }
    long deadline;
    Runnable expire;
    if (headersAt != 0) {
      deadline = headersAt + limits.bodyTimeout().toNanos();
      expire = () -> timeout("body not complete within " + limits.bodyTimeout().toSeconds() + "s");
    } else if (firstByteAt != 0) {
      deadline = firstByteAt + limits.headerTimeout().toNanos();
      expire =
          () -> timeout("headers not complete within " + limits.headerTimeout().toSeconds() + "s");
    } else {
      deadline =
          waitingSince + (answered == 0 ? limits.headerTimeout() : limits.idleTimeout()).toNanos();
      expire = () -> ctx.close();
    }
    timer = ctx.executor().schedule(expire, Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
  }

  private void timeout(String why) {
    timer = null;
    refuse(408, why);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
