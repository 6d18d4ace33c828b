package dev.vigil.power.check;

import dev.vigil.http.prometheus.PrometheusClient;

/** Active while a PromQL expression returns a non-empty result (like an alert firing). */
public final class PromQlCheck implements ActivityCheck {
  private final String name;
  private final PrometheusClient client;
  private final String query;

  public PromQlCheck(String name, PrometheusClient client, String query) {
    this.name = name;
    this.client = client;
    this.query = query;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() throws Exception {
    int n = client.query(query).count();
    return n > 0
        ? ActivityVerdict.active(n + " series match")
        : ActivityVerdict.idle("empty result");
  }
}
