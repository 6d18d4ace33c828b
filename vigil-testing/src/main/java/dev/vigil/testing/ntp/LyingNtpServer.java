package dev.vigil.testing.ntp;

import dev.vigil.base.NamedThreads;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NTP server on loopback that can be told to lie, for the negative cases no real server will
 * produce on demand: a clock shifted by a fixed offset, Kiss-o'-Death, leap indicator 3, stratum
 * 16, a reply whose origin timestamp does not match the request, or silence.
 *
 * <p>Its packet encoding is written here independently of the production codec, so a bug in one is
 * not mirrored by the other. The behaviour can be switched while the server runs.
 */
public final class LyingNtpServer implements Closeable {
  /** What the server does with each request. */
  public enum Behaviour {
    /** Answer correctly, with the clock shifted by {@link #offsetNanos}. */
    HONEST,
    KOD_DENY,
    KOD_RSTR,
    KOD_RATE,
    /** Leap indicator 3 with a normal stratum. */
    LEAP_UNSYNCHRONISED,
    /** Stratum 16 with a normal leap indicator. */
    STRATUM_16,
    /** A well-formed reply whose origin timestamp is not the request's transmit timestamp. */
    WRONG_ORIGIN,
    /** Reply in mode 5 (broadcast) instead of 4. */
    WRONG_MODE,
    /** Never answer. */
    SILENT
  }

  private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Behaviour behaviour;
  private volatile long offsetNanos;
  private volatile int stratum = 2;
  private volatile boolean running = true;

  private LyingNtpServer(Behaviour behaviour, long offsetNanos) throws IOException {
    this.behaviour = behaviour;
    this.offsetNanos = offsetNanos;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = NamedThreads.start("lying-ntp-" + socket.getLocalPort(), this::serve);
  }

  /** Starts on a free loopback port. */
  public static LyingNtpServer start(Behaviour behaviour) throws IOException {
    return new LyingNtpServer(behaviour, 0);
  }

  /**
   * Starts an honest-looking server whose clock is {@code offsetSeconds} ahead (negative: behind).
   */
  public static LyingNtpServer withOffset(double offsetSeconds) throws IOException {
    return new LyingNtpServer(Behaviour.HONEST, Math.round(offsetSeconds * 1e9));
  }

  public int getPort() {
    return socket.getLocalPort();
  }

  public String hostPort() {
    return "127.0.0.1:" + getPort();
  }

  public int requests() {
    return requests.get();
  }

  public void behaviour(Behaviour b) {
    this.behaviour = b;
  }

  public void offsetSeconds(double seconds) {
    this.offsetNanos = Math.round(seconds * 1e9);
  }

  public void stratum(int stratum) {
    this.stratum = stratum;
  }

  private long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() + offsetNanos;
  }

  private static long toNtp(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
    long fraction = (nanos << 32) / 1_000_000_000L;
    return ((seconds + NTP_UNIX_OFFSET) << 32) | fraction;
  }

  private static int ascii(String code) {
    byte[] b = code.getBytes(StandardCharsets.US_ASCII);
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  private void serve() {
    byte[] buf = new byte[512];
    while (running) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
      } catch (SocketException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      long received = nowNanos();
      if (in.getLength() < 48) {
        continue;
      }
      requests.incrementAndGet();
      Behaviour b = behaviour;
      if (b == Behaviour.SILENT) {
        continue;
      }
      ByteBuffer req = ByteBuffer.wrap(in.getData(), in.getOffset(), in.getLength());
      int version = (req.get(0) >>> 3) & 7;
      long clientTransmit = req.getLong(40);
      int leap = 0;
      int mode = 4;
      int st = stratum;
      // 192.0.2.1 (TEST-NET-1): a refid that is never a local address, so a chronyd on
      // loopback following this server does not take it for a synchronisation loop.
      int refId = 0xC0000201;
      long origin = clientTransmit;
      switch (b) {
        case KOD_DENY -> {
          st = 0;
          refId = ascii("DENY");
          leap = 3;
        }
        case KOD_RSTR -> {
          st = 0;
          refId = ascii("RSTR");
          leap = 3;
        }
        case KOD_RATE -> {
          st = 0;
          refId = ascii("RATE");
          leap = 3;
        }
        case LEAP_UNSYNCHRONISED -> leap = 3;
        case STRATUM_16 -> st = 16;
        case WRONG_ORIGIN -> origin = clientTransmit ^ 0x5A5A_5A5A_0000_0001L;
        case WRONG_MODE -> mode = 5;
        default -> {}
      }
      ByteBuffer out = ByteBuffer.allocate(48);
      out.put((byte) ((leap << 6) | (version << 3) | mode));
      out.put((byte) st);
      out.put((byte) 4);
      out.put((byte) -20);
      out.putInt(1 << 8); // root delay ~4 ms
      out.putInt(1 << 8); // root dispersion ~4 ms
      out.putInt(refId);
      out.putLong(toNtp(received - 1_000_000_000L));
      out.putLong(origin);
      out.putLong(toNtp(received));
      out.putLong(toNtp(nowNanos()));
      try {
        socket.send(new DatagramPacket(out.array(), 48, in.getSocketAddress()));
      } catch (IOException e) {
        // The client went away; nothing to do.
      }
    }
  }

  @Override
  public void close() {
    running = false;
    socket.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
