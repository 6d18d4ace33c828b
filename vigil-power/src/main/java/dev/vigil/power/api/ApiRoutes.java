package dev.vigil.power.api;

import java.util.List;

/**
 * Request handling without the server: method, path, authentication and body in, status, headers
 * and body out. Any HTTP server can mount an implementation by passing it every request whose path
 * starts with one of {@link #pathPrefixes()}.
 */
public interface ApiRoutes {
  /** Path prefixes this set of routes answers; everything under them is theirs, 404s included. */
  List<String> pathPrefixes();

  /** Answers one request; never throws for anything a client can send. */
  ApiResponse handle(ApiRequest request);
}
