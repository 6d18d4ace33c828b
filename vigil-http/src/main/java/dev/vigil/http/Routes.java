package dev.vigil.http;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Request handling without the server: method, path, headers and body in, status, headers and body
 * out. A listener passes a set of routes every request whose path is one of {@link #pathPrefixes()}
 * or lies under one (a prefix ending in {@code /} covers everything below it, another one itself
 * and the paths below {@code prefix/}).
 */
public interface Routes {
  /** Path prefixes this set of routes answers; everything under them is theirs, 404s included. */
  List<String> pathPrefixes();

  /** Answers one request; never throws for anything a client can send. */
  Response handle(Request request);

  /**
   * Whether {@link #handle} may block (disk, locks held by other threads, the network, a scrape of
   * many collectors). Blocking routes run on the server's bounded handler pool; the others on the
   * connection's event loop, where they must return within microseconds.
   */
  default boolean blocking() {
    return true;
  }

  /** One path answered by {@code handler}. */
  static Routes of(String path, boolean blocking, Function<Request, Response> handler) {
    Objects.requireNonNull(handler, "handler");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("a route path starts with '/', got " + path);
    }
    return new Routes() {
      @Override
      public List<String> pathPrefixes() {
        return List.of(path);
      }

      @Override
      public Response handle(Request request) {
        return handler.apply(request);
      }

      @Override
      public boolean blocking() {
        return blocking;
      }
    };
  }
}
