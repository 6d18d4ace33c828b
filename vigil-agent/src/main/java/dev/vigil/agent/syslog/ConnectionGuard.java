package dev.vigil.agent.syslog;

import dev.vigil.spec.syslog.SyslogSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Who may hold a TCP/TLS connection of one listener, so that no client can lock the others out.
 *
 * <ul>
 *   <li>At most {@code perSource} connections per sender address.
 *   <li>At the global limit, a new connection takes the place of the one that has gone longest
 *       without a complete message (one that never sent any first), if that one has been quiet for
 *       at least {@link #MIN_IDLE_TO_EVICT}; only when every connection is busy is the new one
 *       refused.
 *   <li>Activity is a complete message, not a byte: a client trickling bytes (slowloris) or never
 *       finishing its TLS handshake is closed after {@code firstMessageTimeout} (before its first
 *       message) or {@code idleTimeout} (after). A connection paused for backpressure is never
 *       closed as idle.
 * </ul>
 *
 * Every refusal and closing is counted per reason and logged, at most one line per reason a minute.
 */
final class ConnectionGuard {
  private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
  static final Duration MIN_IDLE_TO_EVICT = Duration.ofSeconds(1);
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  /** Why a connection was refused or closed: the metric's {@code reason} label. */
  enum Reason {
    GLOBAL_LIMIT("global_limit", "every connection busy at the limit of %d"),
    PER_SOURCE_LIMIT("per_source_limit", "the sender already holds %d connections"),
    EVICTED_IDLE(
        "evicted_idle", "quiet longest while the limit of %d was reached: closed for a new one"),
    FIRST_MESSAGE_TIMEOUT(
        "first_message_timeout", "no complete message (or TLS handshake) within %s"),
    IDLE_TIMEOUT("idle_timeout", "no complete message for %s");

    final String label;
    final String text;

    Reason(String label, String text) {
      this.label = label;
      this.text = text;
    }
  }

  /** What the guard reports. */
  interface Events {
    void refused(Reason reason);

    void closed(Reason reason);
  }

  /** State of one admitted connection. */
  static final class Tracked {
    final Channel channel;
    final String source;
    final long openedNanos;
    volatile long lastMessageNanos;
    volatile boolean sentMessage;

    Tracked(Channel channel, String source, long now) {
      this.channel = channel;
      this.source = source;
      this.openedNanos = now;
      this.lastMessageNanos = now;
    }

    long quietSince() {
      return sentMessage ? lastMessageNanos : openedNanos;
    }
  }

  private final String listener;
  private final int maxConnections;
  private final int perSource;
  private final long idleNanos;
  private final long firstMessageNanos;
  private final Events events;
  private final LongSupplier clock;
  private final Map<Channel, Tracked> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> bySource = new ConcurrentHashMap<>();
  private final Map<Reason, long[]> logState = new ConcurrentHashMap<>();

  ConnectionGuard(
      String listener,
      int maxConnections,
      int perSource,
      Duration idleTimeout,
      Duration firstMessageTimeout,
      Events events,
      LongSupplier clock) {
    this.listener = listener;
    this.maxConnections = maxConnections;
    this.perSource = perSource;
    this.idleNanos = idleTimeout.toNanos();
    this.firstMessageNanos = Math.min(firstMessageTimeout.toNanos(), idleTimeout.toNanos());
    this.events = events;
    this.clock = clock;
  }

  int openConnections() {
    return open.size();
  }

  /**
   * Admits {@code ch} or closes it; true when admitted. Its close later frees its place. The
   * decision is serialised: connections of one listener are accepted by one thread anyway.
   */
  synchronized boolean admit(Channel ch) {
    String source = address(ch);
    long now = clock.getAsLong();
    AtomicInteger fromSource = bySource.computeIfAbsent(source, k -> new AtomicInteger());
    if (fromSource.get() >= perSource) {
      refuse(ch, source, Reason.PER_SOURCE_LIMIT, perSource);
      return false;
    }
    if (open.size() >= maxConnections) {
      Tracked quietest = null;
      for (Tracked t : open.values()) {
        if (!t.channel.config().isAutoRead()) {
          continue;
        }
        if (quietest == null
            || (!t.sentMessage && quietest.sentMessage)
            || (t.sentMessage == quietest.sentMessage && t.quietSince() < quietest.quietSince())) {
          quietest = t;
        }
      }
      if (quietest == null || now - quietest.quietSince() < MIN_IDLE_TO_EVICT.toNanos()) {
        refuse(ch, source, Reason.GLOBAL_LIMIT, maxConnections);
        return false;
      }
      forget(quietest);
      quietest.channel.close();
      closedFor(quietest, Reason.EVICTED_IDLE, maxConnections);
    }
    Tracked t = new Tracked(ch, source, now);
    open.put(ch, t);
    fromSource.incrementAndGet();
    ch.closeFuture().addListener(f -> forget(t));
    return true;
  }

  private synchronized void forget(Tracked t) {
    if (open.remove(t.channel) != null) {
      AtomicInteger n = bySource.get(t.source);
      if (n != null && n.decrementAndGet() <= 0) {
        bySource.remove(t.source);
      }
    }
  }

  /** Closes connections that have been quiet too long; called about once a second. */
  void sweep() {
    long now = clock.getAsLong();
    for (Tracked t : open.values()) {
      if (!t.channel.config().isAutoRead()) {
        // Paused by us for backpressure: its silence is ours.
        continue;
      }
      if (!t.sentMessage && now - t.openedNanos > firstMessageNanos) {
        forget(t);
        t.channel.close();
        closedFor(t, Reason.FIRST_MESSAGE_TIMEOUT, Duration.ofNanos(firstMessageNanos));
      } else if (t.sentMessage && now - t.lastMessageNanos > idleNanos) {
        forget(t);
        t.channel.close();
        closedFor(t, Reason.IDLE_TIMEOUT, Duration.ofNanos(idleNanos));
      }
    }
  }

  /** The handler that marks a connection active on each complete message. */
  ChannelInboundHandlerAdapter activity() {
    return new ChannelInboundHandlerAdapter() {
      private Tracked tracked;

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The frame decoder hands on the messages of a read as one list.
        if (msg instanceof RawMessage || msg instanceof java.util.List) {
          if (tracked == null) {
            tracked = open.get(ctx.channel());
          }
          if (tracked != null) {
            tracked.lastMessageNanos = clock.getAsLong();
            tracked.sentMessage = true;
          }
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  private void refuse(Channel ch, String source, Reason reason, Object limit) {
    ch.close();
    events.refused(reason);
    log(reason, source, limit, "refused");
  }

  private void closedFor(Tracked t, Reason reason, Object limit) {
    events.closed(reason);
    log(reason, t.source, limit, "closed");
  }

  private void log(Reason reason, String source, Object limit, String what) {
    long now = clock.getAsLong();
    long[] state = logState.computeIfAbsent(reason, r -> new long[] {Long.MIN_VALUE, 0});
    synchronized (state) {
      state[1]++;
      if (state[0] == Long.MIN_VALUE || now - state[0] >= LOG_INTERVAL_NANOS) {
        Object shown = limit instanceof Duration ? SyslogSpec.text((Duration) limit) : limit;
        LOG.warning(
            listener
                + " connection from "
                + source
                + " "
                + what
                + ": "
                + String.format(reason.text, shown)
                + " ("
                + reason.label
                + "; "
                + state[1]
                + " such since the last line)");
        state[0] = now;
        state[1] = 0;
      }
    }
  }

  static String address(Channel ch) {
    return ch.remoteAddress() instanceof InetSocketAddress
        ? SyslogFrameDecoder.address(ch.remoteAddress())
        : String.valueOf(ch.remoteAddress());
  }
}
