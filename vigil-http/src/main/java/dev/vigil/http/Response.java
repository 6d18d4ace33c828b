package dev.vigil.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response as routes produce it; the server writes it and sets {@code Content-Length}
 * (except on a response to HEAD that already names the length the GET would have).
 */
public record Response(int status, Map<String, String> headers, byte[] body) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Response {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, got " + status);
    }
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** {@code body} as JSON, with its content type. */
  public static Response json(int status, Object body) {
    try {
      return new Response(
          status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }

  /** {@code body} as UTF-8 plain text. */
  public static Response text(int status, String body) {
    return new Response(
        status,
        Map.of("Content-Type", "text/plain; charset=utf-8"),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** The same response with one more header. */
  public Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, h, body);
  }

  /** The value of a header, matched case-insensitively, or null. */
  public String header(String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
