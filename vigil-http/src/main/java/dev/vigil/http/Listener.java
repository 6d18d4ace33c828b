package dev.vigil.http;

import java.util.List;
import java.util.Objects;

/**
 * One address and port of the server and the routes served there.
 *
 * @param name short name for logs and the {@code listener} label ("agent", "power")
 * @param address an IP literal or {@code 0.0.0.0}
 * @param port 0 picks a free port ({@link HttpServer#port(String)})
 */
public record Listener(String name, String address, int port, List<Routes> routes, Limits limits) {
  public Listener {
    if (name == null || !name.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "listener name must be a short lower-case word, got " + name);
    }
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": port must be 0..65535, got " + port);
    }
    routes = List.copyOf(routes);
    Objects.requireNonNull(limits, "limits");
  }

  /** A listener with {@link Limits#defaults()}. */
  public static Listener of(String name, String address, int port, Routes... routes) {
    return new Listener(name, address, port, List.of(routes), Limits.defaults());
  }

  public Listener withLimits(Limits l) {
    return new Listener(name, address, port, routes, l);
  }

  /** The routes whose prefixes cover {@code path}, the longest prefix winning. */
  Routes routesFor(String path) {
    Routes best = null;
    int bestLength = -1;
    for (Routes r : routes) {
      for (String p : r.pathPrefixes()) {
        if (p.length() > bestLength
            && (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/"))) {
          best = r;
          bestLength = p.length();
        }
      }
    }
    return best;
  }
}
