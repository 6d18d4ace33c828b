package dev.vigil.render.chrony;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.render.Yaml;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import dev.vigil.spec.types.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * time.rules.yaml with the spec's thresholds in place of the defaults it is written (and unit
 * tested) with. The file is edited through its YAML tree: in each named alert, the comparison
 * against the default literal is rewritten, and the human text that quotes it. A rule that no
 * longer holds the expected comparison is an error, so a change to the rules cannot silently leave
 * a threshold at its default.
 */
public final class TimeRules {
  public static final String FILE = "time.rules.yaml";

  /** One threshold inside one alert: its comparison in the expression, its wording in the text. */
  record Substitution(
      String alert,
      String operator,
      String defaultLiteral,
      String value,
      String defaultText,
      String text) {}

  private TimeRules() {}

  /** The rule file with {@code t}'s thresholds. */
  public static String render(TimeThresholds t) {
    return render(source(), t);
  }

  /** The rule file as shipped, with the default thresholds. */
  public static String source() {
    try (java.io.InputStream in = TimeRules.class.getResourceAsStream(FILE)) {
      if (in == null) {
        throw new IllegalStateException("rule resource " + FILE + " is missing");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String render(String source, TimeThresholds t) {
    JsonNode root;
    try {
      root = Yaml.mapper().readTree(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Substitution> subs = substitutions(t);
    List<String> unused = new ArrayList<>();
    subs.forEach(s -> unused.add(s.alert()));
    for (JsonNode group : root.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (!rule.has("alert")) {
          continue;
        }
        String alert = rule.get("alert").asText();
        for (Substitution s : subs) {
          if (s.alert().equals(alert)) {
            apply((ObjectNode) rule, s);
            unused.remove(alert);
          }
        }
      }
    }
    if (!unused.isEmpty()) {
      throw new IllegalStateException(
          FILE + ": alerts " + unused + " not found; thresholds cannot be applied");
    }
    return "# Time synchronisation alerts, rendered by vigil with the thresholds of"
        + " time.thresholds\n"
        + "# (source and runbooks: docs/alerts.md).\n"
        + Yaml.write(root);
  }

  static List<Substitution> substitutions(TimeThresholds t) {
    return List.of(
        duration("ClockOffsetHigh", "0.1", "100ms", t.offsetWarning()),
        duration("ClockOffsetCritical", "1", "1s", t.offsetCritical()),
        new Substitution(
            "TimeSourcesUnreachable",
            "<",
            "1",
            Integer.toString(t.minReachableSources()),
            null,
            null),
        new Substitution(
            "ClockStratumTooHigh",
            ">",
            "10",
            Integer.toString(t.maxStratum()),
            "(more than 10)",
            "(more than " + t.maxStratum() + ")"),
        duration("NodeClockSkew", "0.25", "250ms", t.peerSkew()),
        duration("LogTimestampSkew", "10", "10s", t.logSkew()),
        new Substitution(
            "ClockSkewNearKerberosLimit", ">", "240", seconds(t.kerberosLimit()), null, null));
  }

  private static Substitution duration(String alert, String literal, String text, Duration value) {
    return new Substitution(
        alert,
        ">",
        literal,
        seconds(value),
        "more than " + text,
        "more than " + Durations.format(value));
  }

  /** Seconds as PromQL reads them: 0.1, 1, 240. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
  }

  private static void apply(ObjectNode rule, Substitution s) {
    String expr = rule.path("expr").asText();
    // The literal as a whole number: "> 1" must not match "> 10" or "> 1.5".
    Pattern p =
        Pattern.compile(
            "("
                + Pattern.quote(s.operator())
                + "\\s*)"
                + Pattern.quote(s.defaultLiteral())
                + "(?![0-9.])");
    Matcher m = p.matcher(expr);
    if (!m.find()) {
      throw new IllegalStateException(
          FILE
              + ": alert "
              + s.alert()
              + " no longer compares '"
              + s.operator()
              + " "
              + s.defaultLiteral()
              + "'; update "
              + TimeRules.class.getSimpleName());
    }
    rule.put("expr", p.matcher(expr).replaceAll("$1" + Matcher.quoteReplacement(s.value())));
    if (s.defaultText() != null && rule.get("annotations") instanceof ObjectNode annotations) {
      for (Map.Entry<String, JsonNode> e : annotations.properties()) {
        if (e.getValue().isTextual() && e.getValue().asText().contains(s.defaultText())) {
          annotations.put(e.getKey(), e.getValue().asText().replace(s.defaultText(), s.text()));
        }
      }
    }
  }
}
