package dev.vigil.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one listener allows a client: how long it may take to send a request, how large the request
 * may be, how many connections it may hold. Every resource a client can make the server spend is
 * bounded here.
 *
 * @param headerTimeout from the first byte of a request (or from accepting the connection) until
 *     its headers are complete; past it the client gets 408 and the connection is closed
 * @param bodyTimeout from the end of the headers until the body is complete; 408 past it
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param writeTimeout how long writing one response may take (a client that stops reading is closed
 *     after it)
 * @param maxInitialLineBytes longest request line; longer is answered 414
 * @param maxHeaderBytes largest header section; larger is answered 431
 * @param maxBodyBytes largest body; larger is answered 413 before it is read
 * @param maxConnections open connections on the listener; more are answered 503 and closed
 * @param maxConnectionsPerSource open connections from one source address; likewise
 * @param maxPipelined requests read ahead of the one being answered; more close the connection
 */
public record Limits(
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    Duration writeTimeout,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int maxBodyBytes,
    int maxConnections,
    int maxConnectionsPerSource,
    int maxPipelined) {

  /**
   * Limits for endpoints that Prometheus, a kubelet probe and an operator's CLI read: requests are
   * a GET of a few hundred bytes, a scraper holds one connection.
   */
  public static Limits defaults() {
    return new Limits(
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        4096,
        8192,
        64 * 1024,
        64,
        16,
        16);
  }

  public Limits {
    positive(headerTimeout, "headerTimeout");
    positive(bodyTimeout, "bodyTimeout");
    positive(idleTimeout, "idleTimeout");
    positive(writeTimeout, "writeTimeout");
    atLeast(maxInitialLineBytes, 64, "maxInitialLineBytes");
    atLeast(maxHeaderBytes, 256, "maxHeaderBytes");
    atLeast(maxBodyBytes, 0, "maxBodyBytes");
    atLeast(maxConnections, 1, "maxConnections");
    atLeast(maxConnectionsPerSource, 1, "maxConnectionsPerSource");
    atLeast(maxPipelined, 1, "maxPipelined");
  }

  public Limits withHeaderTimeout(Duration d) {
    return new Limits(
        d,
        bodyTimeout,
        idleTimeout,
        writeTimeout,
        maxInitialLineBytes,
        maxHeaderBytes,
        maxBodyBytes,
        maxConnections,
        maxConnectionsPerSource,
        maxPipelined);
  }

  public Limits withWriteTimeout(Duration d) {
    return new Limits(
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        d,
        maxInitialLineBytes,
        maxHeaderBytes,
        maxBodyBytes,
        maxConnections,
        maxConnectionsPerSource,
        maxPipelined);
  }

  public Limits withIdleTimeout(Duration d) {
    return new Limits(
        headerTimeout,
        bodyTimeout,
        d,
        writeTimeout,
        maxInitialLineBytes,
        maxHeaderBytes,
        maxBodyBytes,
        maxConnections,
        maxConnectionsPerSource,
        maxPipelined);
  }

  public Limits withMaxBodyBytes(int n) {
    return new Limits(
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        writeTimeout,
        maxInitialLineBytes,
        maxHeaderBytes,
        n,
        maxConnections,
        maxConnectionsPerSource,
        maxPipelined);
  }

  public Limits withMaxConnections(int total, int perSource) {
    return new Limits(
        headerTimeout,
        bodyTimeout,
        idleTimeout,
        writeTimeout,
        maxInitialLineBytes,
        maxHeaderBytes,
        maxBodyBytes,
        total,
        perSource,
        maxPipelined);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void atLeast(int n, int min, String name) {
    if (n < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + n);
    }
  }
}
