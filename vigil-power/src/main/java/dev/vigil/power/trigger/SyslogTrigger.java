package dev.vigil.power.trigger;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Matches syslog messages against each node's patterns. The syslog gateway feeds it through {@link
 * #accept(String)}; a match calls back with the node name and the pattern.
 */
public final class SyslogTrigger implements Consumer<String> {
  private final Map<String, List<Pattern>> patterns;
  private final BiConsumer<String, String> onMatch;

  public SyslogTrigger(Map<String, List<Pattern>> patterns, BiConsumer<String, String> onMatch) {
    this.patterns = Map.copyOf(patterns);
    this.onMatch = onMatch;
  }

  @Override
  public void accept(String message) {
    if (message == null) {
      return;
    }
    for (Map.Entry<String, List<Pattern>> e : patterns.entrySet()) {
      for (Pattern p : e.getValue()) {
        if (p.matcher(message).find()) {
          onMatch.accept(e.getKey(), "syslog matched /" + p.pattern() + "/");
          break;
        }
      }
    }
  }
}
