package dev.vigil.power;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One complete wake: send the packets, probe until the node answers, send again between probes (a
 * NIC may miss the first packet while the switch relearns its port), give up at the timeout.
 */
public final class Waker {
  private final WakeSender sender;
  private final WakeVerifier verifier;
  private final MonotonicClock clock;
  private final Duration timeout;
  private final int retries;
  private final Duration probeEvery;

  public Waker(
      WakeSender sender,
      WakeVerifier verifier,
      MonotonicClock clock,
      Duration timeout,
      int retries,
      Duration probeEvery) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("verify timeout must be positive");
    }
    this.sender = sender;
    this.verifier = verifier;
    this.clock = clock;
    this.timeout = timeout;
    this.retries = Math.max(0, retries);
    this.probeEvery = probeEvery;
  }

  /**
   * Sends and, when {@code verify}, waits until the node is up. {@code log} receives one line per
   * step (no secrets: the password is never part of a line).
   */
  public WakeCoordinator.Outcome wake(
      byte[] mac,
      byte[] secureOn,
      String address,
      String nodeName,
      boolean verify,
      Consumer<String> log)
      throws InterruptedException {
    long start = clock.nanoTime();
    long deadline = start + timeout.toNanos();
    long resendEvery = timeout.toNanos() / (retries + 1);
    int sends = 0;
    long nextSend = start;
    String last = "not probed";
    while (true) {
      long now = clock.nanoTime();
      if (sends <= retries && now - nextSend >= 0) {
        List<WakeSender.Sent> sent = sender.send(mac, secureOn, address);
        sends++;
        nextSend = now + resendEvery;
        long ok = sent.stream().filter(WakeSender.Sent::ok).count();
        log.accept(
            "sent magic packet #" + sends + ": " + ok + "/" + sent.size() + " datagrams " + sent);
        if (ok == 0) {
          last = "no datagram could be sent";
        }
        if (!verify) {
          return new WakeCoordinator.Outcome(
              ok > 0, Duration.ofNanos(clock.nanoTime() - start), ok > 0 ? "sent" : last);
        }
      }
      if (address != null || verifier.checksNodeReady()) {
        WakeVerifier.Probe p = verifier.probe(address, nodeName, probeEvery);
        last = p.detail();
        if (p.up()) {
          Duration latency = Duration.ofNanos(clock.nanoTime() - start);
          log.accept("node up after " + latency.toMillis() + " ms: " + p.detail());
          return new WakeCoordinator.Outcome(true, latency, p.detail());
        }
      } else {
        last = "no address to verify";
      }
      if (clock.nanoTime() - deadline >= 0) {
        return new WakeCoordinator.Outcome(
            false,
            Duration.ofNanos(clock.nanoTime() - start),
            "no answer within " + timeout.toSeconds() + "s (" + last + ")");
      }
      Thread.sleep(Math.max(50, probeEvery.toMillis()));
    }
  }
}
