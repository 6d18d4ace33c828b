package dev.vigil.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as routes see it, whatever received it.
 *
 * @param method the request method as sent (methods are case-sensitive, RFC 9110 section 9.1)
 * @param path the decoded path, without the query
 * @param query the query as sent (still percent-encoded), or null when the target has none
 * @param headers header values by name; names are matched case-insensitively
 * @param body the request body, already bounded by the server
 * @param remoteAddress the peer's IP address as text, for logs and wake reasons
 */
public record Request(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    byte[] body,
    String remoteAddress) {

  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach((k, v) -> h.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }
    h.replaceAll((k, v) -> List.copyOf(v));
    headers = Collections.unmodifiableMap(h);
    body = body == null ? new byte[0] : body;
  }

  /** A request without a query. */
  public Request(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      String remoteAddress) {
    this(method, path, null, headers, body, remoteAddress);
  }

  /** Every value of a header, in order; empty when absent. */
  public List<String> header(String name) {
    return headers.getOrDefault(name, List.of());
  }
}
