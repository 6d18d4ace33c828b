package dev.vigil.time;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * An SNTP client (RFC 5905 client mode, RFC 4330 behaviour): several requests per server, every
 * reply validated, the minimum-delay sample kept.
 *
 * <p>The transmit timestamp of each request is a random nonce rather than the local time (the
 * data-minimisation practice of RFC 9109 / chrony): the local send time t1 never leaves the host,
 * and a reply whose origin timestamp does not echo the nonce is rejected as forged or stale.
 */
public final class SntpClient {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_SAMPLES = 4;
  public static final Duration DEFAULT_SPACING = Duration.ofMillis(500);

  /** Replies whose computed delay is below this are impossible (server time ran backwards). */
  private static final double NEGATIVE_DELAY_TOLERANCE = -1e-5;

  private final Duration timeout;
  private final int samples;
  private final Duration spacing;
  private final WallClock clock;
  private final SecureRandom random = new SecureRandom();

  private SntpClient(Builder b) {
    this.timeout = b.timeout;
    this.samples = b.samples;
    this.spacing = b.spacing;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration timeout() {
    return timeout;
  }

  public int samples() {
    return samples;
  }

  /** Measures one server; never throws for network conditions, they become the status. */
  public NtpMeasurement measure(NtpServer server) {
    InetAddress address;
    try {
      address = InetAddress.getByName(server.host());
    } catch (UnknownHostException e) {
      return new NtpMeasurement(
          server, NtpStatus.UNRESOLVED, Optional.empty(), 0, 0, "host does not resolve");
    }
    InetSocketAddress target = new InetSocketAddress(address, server.port());
    NtpSample best = null;
    int sent = 0;
    int valid = 0;
    String lastProblem = null;
    NtpStatus lastProblemStatus = null;
    try (DatagramSocket socket = new DatagramSocket()) {
      // Connecting filters out datagrams from any other address before we see them.
      socket.connect(target);
      for (int i = 0; i < samples; i++) {
        if (i > 0 && !spacing.isZero()) {
          Thread.sleep(spacing.toMillis());
        }
        sent++;
        Exchange ex = exchange(socket);
        switch (ex.status) {
          case OK -> {
            valid++;
            if (best == null || ex.sample.delaySeconds() < best.delaySeconds()) {
              best = ex.sample;
            }
          }
          case UNSYNCHRONISED -> {
            // An unsynchronised server does not become trustworthy by asking again.
            return new NtpMeasurement(
                server, NtpStatus.UNSYNCHRONISED, Optional.of(ex.sample), sent, valid, ex.detail);
          }
          case KOD_DENY, KOD_RSTR, KOD_RATE, KOD_OTHER -> {
            return new NtpMeasurement(server, ex.status, Optional.empty(), sent, valid, ex.detail);
          }
          default -> {
            lastProblem = ex.detail;
            lastProblemStatus = ex.status;
          }
        }
      }
    } catch (IOException e) {
      return new NtpMeasurement(
          server,
          NtpStatus.ERROR,
          Optional.empty(),
          sent,
          valid,
          "socket error: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new NtpMeasurement(
          server, NtpStatus.ERROR, Optional.empty(), sent, valid, "interrupted");
    }
    if (best != null) {
      String detail =
          valid == sent ? "" : (sent - valid) + " of " + sent + " requests failed: " + lastProblem;
      return new NtpMeasurement(server, NtpStatus.OK, Optional.of(best), sent, valid, detail);
    }
    return new NtpMeasurement(server, lastProblemStatus, Optional.empty(), sent, 0, lastProblem);
  }

  private record Exchange(NtpStatus status, NtpSample sample, String detail) {}

  private Exchange exchange(DatagramSocket socket) throws IOException {
    long nonce = random.nextLong();
    byte[] request = NtpPacket.request(nonce).encode();
    byte[] buf = new byte[1024];
    long deadline = System.nanoTime() + timeout.toNanos();
    String invalid = null;
    long t1 = clock.epochNanos();
    socket.send(new DatagramPacket(request, request.length));
    while (true) {
      long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMs <= 0) {
        break;
      }
      socket.setSoTimeout((int) Math.max(1, remainingMs));
      DatagramPacket reply = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        break;
      } catch (PortUnreachableException e) {
        return new Exchange(NtpStatus.TIMEOUT, null, "port unreachable (no NTP server listening)");
      }
      long t4 = clock.epochNanos();
      NtpPacket p;
      try {
        p = NtpPacket.decode(reply.getData(), reply.getOffset(), reply.getLength());
      } catch (IllegalArgumentException e) {
        invalid = e.getMessage();
        continue;
      }
      if (p.originTimestamp() != nonce) {
        // Possibly a late reply to an earlier request, possibly forged: keep listening.
        invalid = "origin timestamp does not match the request (stale or forged reply)";
        continue;
      }
      return validate(p, t1, t4);
    }
    if (invalid != null) {
      return new Exchange(NtpStatus.INVALID, null, invalid);
    }
    return new Exchange(NtpStatus.TIMEOUT, null, "no reply within " + timeout.toMillis() + " ms");
  }

  private static Exchange validate(NtpPacket p, long t1, long t4) {
    if (p.mode() != NtpMode.SERVER) {
      return new Exchange(NtpStatus.INVALID, null, "reply mode " + p.mode() + ", expected SERVER");
    }
    if (p.version() < 1 || p.version() > 4) {
      return new Exchange(NtpStatus.INVALID, null, "unsupported NTP version " + p.version());
    }
    if (p.isKissOfDeath()) {
      String code = p.referenceIdAscii();
      return new Exchange(NtpStatus.forKissCode(code), null, "Kiss-o'-Death " + code);
    }
    if (p.receiveTimestamp() == 0 || p.transmitTimestamp() == 0) {
      return new Exchange(NtpStatus.INVALID, null, "reply lacks receive or transmit timestamp");
    }
    long t2 = NtpTimestamp.toEpochNanos(p.receiveTimestamp());
    long t3 = NtpTimestamp.toEpochNanos(p.transmitTimestamp());
    double[] od = NtpSample.offsetAndDelay(t1, t2, t3, t4);
    if (od[1] < NEGATIVE_DELAY_TOLERANCE) {
      return new Exchange(
          NtpStatus.INVALID,
          null,
          String.format("impossible timestamps: negative round-trip delay %.6f s", od[1]));
    }
    NtpSample sample =
        new NtpSample(
            od[0],
            Math.max(0, od[1]),
            p.stratum(),
            p.leap(),
            p.referenceIdText(),
            NtpTimestamp.shortToSeconds(p.rootDelay()),
            NtpTimestamp.shortToSeconds(p.rootDispersion()),
            t4);
    if (p.leap() == LeapIndicator.UNSYNCHRONISED || p.stratum() >= 16) {
      return new Exchange(
          NtpStatus.UNSYNCHRONISED,
          sample,
          "server is not synchronised (leap indicator "
              + p.leap().bits()
              + ", stratum "
              + p.stratum()
              + ")");
    }
    return new Exchange(NtpStatus.OK, sample, "");
  }

  @Override
  public String toString() {
    return "SntpClient[timeout=" + timeout + ", samples=" + samples + ", spacing=" + spacing + "]";
  }

  public static final class Builder {
    private Duration timeout = DEFAULT_TIMEOUT;
    private int samples = DEFAULT_SAMPLES;
    private Duration spacing = DEFAULT_SPACING;
    private WallClock clock = WallClock.SYSTEM;

    private Builder() {}

    /** How long to wait for each reply. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** Requests per server; the minimum-delay valid reply is kept. */
    public Builder samples(int samples) {
      if (samples < 1 || samples > 16) {
        throw new IllegalArgumentException("samples must be between 1 and 16, got " + samples);
      }
      this.samples = samples;
      return this;
    }

    /** Pause between two requests to the same server, so servers do not rate-limit us. */
    public Builder spacing(Duration spacing) {
      if (spacing == null || spacing.isNegative()) {
        throw new IllegalArgumentException("spacing must not be negative");
      }
      this.spacing = spacing;
      return this;
    }

    public Builder clock(WallClock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock is required");
      }
      this.clock = clock;
      return this;
    }

    public SntpClient build() {
      return new SntpClient(this);
    }
  }
}
