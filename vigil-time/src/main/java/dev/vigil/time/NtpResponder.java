package dev.vigil.time;

import dev.vigil.base.NamedThreads;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A minimal NTP server for the peer mesh: answers client requests (mode 3) with server replies
 * (mode 4) stamped from the local clock, so that other nodes' probes can measure this node.
 *
 * <p>It is not a time source for anyone to sync to: it advertises the stratum and leap status
 * supplied by {@link Builder#syncState}, typically the local chrony's stratum + 1, and
 * "unsynchronised" when the node itself is not synchronised, so a client that follows RFC 5905
 * never trusts a free-running node. Anything that is not a well-formed client request is dropped
 * without an answer (no amplification, no reflection of garbage).
 */
public final class NtpResponder implements Closeable {
  private final DatagramSocket socket;
  private final Supplier<SyncState> syncState;
  private final WallClock clock;
  private final Thread thread;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running = true;

  private NtpResponder(Builder b) throws IOException {
    this.syncState = b.syncState;
    this.clock = b.clock;
    this.socket = new DatagramSocket(null);
    socket.setReuseAddress(false);
    socket.bind(new InetSocketAddress(b.bindAddress, b.port));
    this.thread = NamedThreads.start("vigil-ntp-responder-" + socket.getLocalPort(), this::serve);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int getPort() {
    return socket.getLocalPort();
  }

  public InetAddress getAddress() {
    return socket.getLocalAddress();
  }

  public long answered() {
    return answered.get();
  }

  public long dropped() {
    return dropped.get();
  }

  private void serve() {
    byte[] buf = new byte[1024];
    while (running) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        continue;
      }
      long t2 = clock.epochNanos();
      byte[] reply = answer(in.getData(), in.getOffset(), in.getLength(), t2);
      if (reply == null) {
        dropped.incrementAndGet();
        continue;
      }
      try {
        socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        answered.incrementAndGet();
      } catch (IOException e) {
        dropped.incrementAndGet();
      }
    }
  }

  /** Builds the reply to one datagram, or null when it must not be answered. */
  byte[] answer(byte[] data, int offset, int length, long receiveEpochNanos) {
    NtpPacket req;
    try {
      req = NtpPacket.decode(data, offset, length);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (req.mode() != NtpMode.CLIENT || req.version() < 1 || req.version() > 4) {
      return null;
    }
    SyncState s = syncState.get();
    boolean sync = s.synchronised();
    NtpPacket reply =
        new NtpPacket(
            sync ? s.leap() : LeapIndicator.UNSYNCHRONISED,
            req.version(),
            NtpMode.SERVER,
            sync ? s.stratum() : SyncState.UNSYNCHRONISED_STRATUM,
            req.poll(),
            -20, // about one microsecond: the resolution of the JDK's wall clock here
            NtpTimestamp.secondsToShort(s.rootDelaySeconds()),
            NtpTimestamp.secondsToShort(s.rootDispersionSeconds()),
            s.referenceId(),
            s.referenceEpochNanos() == 0 ? 0 : NtpTimestamp.fromEpochNanos(s.referenceEpochNanos()),
            req.transmitTimestamp(),
            NtpTimestamp.fromEpochNanos(receiveEpochNanos),
            NtpTimestamp.fromEpochNanos(clock.epochNanos()));
    return reply.encode();
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

  @Override
  public String toString() {
    return "NtpResponder[" + socket.getLocalSocketAddress() + ", " + syncState.get() + "]";
  }

  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = 0;
    private Supplier<SyncState> syncState;
    private WallClock clock = WallClock.SYSTEM;

    private Builder() {}

    /** Address to listen on; loopback unless set (a node's own address for the peer mesh). */
    public Builder bindAddress(InetAddress address) {
      if (address == null) {
        throw new IllegalArgumentException("bind address is required");
      }
      this.bindAddress = address;
      return this;
    }

    /** UDP port; 0 picks a free one, see {@link NtpResponder#getPort()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** What to advertise, asked on every request (e.g. {@link TimeProbe#responderState()}). */
    public Builder syncState(Supplier<SyncState> syncState) {
      if (syncState == null) {
        throw new IllegalArgumentException("syncState is required");
      }
      this.syncState = syncState;
      return this;
    }

    /** Advertises a fixed stratum, for nodes whose clock is trusted by configuration. */
    public Builder stratum(int stratum) {
      SyncState fixed = SyncState.fixed(stratum, 0);
      return syncState(() -> fixed);
    }

    public Builder clock(WallClock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock is required");
      }
      this.clock = clock;
      return this;
    }

    public NtpResponder buildAndStart() throws IOException {
      if (syncState == null) {
        throw new IllegalStateException("syncState or stratum must be set");
      }
      return new NtpResponder(this);
    }
  }
}
