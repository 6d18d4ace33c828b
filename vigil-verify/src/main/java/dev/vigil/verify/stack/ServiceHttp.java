package dev.vigil.verify.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Plain HTTP to the stack's APIs (Alertmanager, Loki, Grafana), with one timeout for every call.
 */
public final class ServiceHttp {
  /** An answer: status and body. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The body cut to one short line, for a verdict's detail. */
    public String brief() {
      String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
      return "HTTP "
          + status
          + (b.isEmpty() ? "" : ": " + (b.length() > 160 ? b.substring(0, 160) + "…" : b));
    }
  }

  private final HttpClient http;
  private final Duration timeout;

  public ServiceHttp(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public Response get(String url, Map<String, String> headers) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
    headers.forEach(b::header);
    return send(b.build());
  }

  private Response send(HttpRequest req) throws IOException {
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
