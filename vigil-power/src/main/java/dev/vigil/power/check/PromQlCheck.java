package dev.vigil.power.check;

import java.time.Duration;

/** Active while a PromQL expression returns a non-empty result (like an alert firing). */
public final class PromQlCheck implements ActivityCheck {
  private final String name;
  private final PromQl client;
  private final String query;
  private final Duration timeout;

  public PromQlCheck(String name, PromQl client, String query, Duration timeout) {
    this.name = name;
    this.client = client;
    this.query = query;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() throws Exception {
    int n = client.resultCount(query, timeout);
    return n > 0
        ? ActivityVerdict.active(n + " series match")
        : ActivityVerdict.idle("empty result");
  }
}
