package dev.vigil.http;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /metrics} served by the Prometheus client library's own scrape handler, so the format is
 * negotiated from {@code Accept} (OpenMetrics, Prometheus text, protobuf), {@code Accept-Encoding:
 * gzip} compresses, {@code name[]=...} selects families and {@code debug=...} shows a format as
 * text, all as the library's own HTTP server does. The handler writes into a buffer; the server
 * sends it with its length.
 */
public final class MetricsRoutes implements Routes {
  private static final Logger LOG = Logger.getLogger(MetricsRoutes.class.getName());

  private final PrometheusScrapeHandler handler;
  private final String path;

  public MetricsRoutes(PrometheusRegistry registry) {
    this("/metrics", registry, PrometheusProperties.get());
  }

  public MetricsRoutes(String path, PrometheusRegistry registry, PrometheusProperties properties) {
    this.path = path;
    this.handler = new PrometheusScrapeHandler(properties, registry);
  }

  @Override
  public List<String> pathPrefixes() {
    return List.of(path);
  }

  @Override
  public Response handle(Request request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return Response.text(405, "use GET\n").withHeader("Allow", "GET, HEAD");
    }
    Exchange exchange = new Exchange(request);
    try {
      handler.handleRequest(exchange);
    } catch (IOException e) {
      exchange.fail(e);
    }
    return exchange.response();
  }

  /** One scrape as the client library's handler sees it. */
  private static final class Exchange implements PrometheusHttpExchange {
    private final Request request;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status;

    Exchange(Request request) {
      this.request = request;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return new PrometheusHttpRequest() {
        @Override
        public String getQueryString() {
          return request.query();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
          return Collections.enumeration(request.header(name));
        }

        @Override
        public String getMethod() {
          return request.method();
        }

        @Override
        public String getRequestPath() {
          return request.path();
        }
      };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return new PrometheusHttpResponse() {
        @Override
        public void setHeader(String name, String value) {
          headers.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength)
            throws IOException {
          if (status != 0) {
            throw new IOException("a response was already sent for this scrape");
          }
          status = statusCode;
          return body;
        }
      };
    }

    @Override
    public void handleException(IOException e) {
      fail(e);
    }

    @Override
    public void handleException(RuntimeException e) {
      fail(e);
    }

    /** 500 with a one-line reason; the stack trace goes to the log, not to the scraper. */
    void fail(Exception e) {
      LOG.log(Level.WARNING, "scrape of " + request.path() + " failed", e);
      headers.clear();
      headers.put("Content-Type", "text/plain; charset=utf-8");
      body.reset();
      byte[] text =
          ("scrape failed: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage())
                  + "\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      body.write(text, 0, text.length);
      status = 500;
    }

    Response response() {
      return new Response(status == 0 ? 500 : status, headers, body.toByteArray());
    }

    @Override
    public void close() {}
  }
}
