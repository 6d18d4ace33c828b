package dev.vigil.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.verify.PrometheusQuery.QueryException;
import dev.vigil.verify.PrometheusQuery.Sample;
import java.time.Duration;
import java.util.List;

/**
 * What the checks ask of Prometheus' HTTP API. {@link #connect} is the one place that chooses
 * the client, so replacing it touches nothing else.
 */
public interface PrometheusApi {
  /** An instant query. */
  List<Sample> query(String promql) throws QueryException;

  /** The {@code data} of a GET of an API path ({@code /api/v1/targets?state=active}, {@code /api/v1/rules}). */
  JsonNode get(String pathAndQuery) throws QueryException;

  /** Whether {@code /-/ready} answers 200. */
  boolean ready() throws QueryException;

  static PrometheusApi connect(String url, Duration timeout) {
    return new PrometheusQuery(url, timeout);
  }
}
