package dev.vigil.verify.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.Yaml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alertmanager's routing of an alert by the rendered alertmanager.yml: depth first through the
 * route tree, the first matching child taken unless it says {@code continue}, a route's own
 * receiver when none of its children matches. Matchers are Alertmanager's {@code matchers} strings
 * ({@code name="v"}, {@code !=}, {@code =~}, {@code !~}; regexes anchored) and the older {@code
 * match}/{@code match_re} maps.
 */
public final class Routing {
  private static final Pattern MATCHER =
      Pattern.compile(
          "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))\\s*");

  private Routing() {}

  /** The receivers an alert with these labels reaches. */
  public static List<String> receivers(String alertmanagerYml, Map<String, String> labels) {
    JsonNode route;
    try {
      route = Yaml.mapper().readTree(alertmanagerYml).path("route");
    } catch (IOException e) {
      throw new IllegalArgumentException("alertmanager.yml does not parse: " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    walk(route, route.path("receiver").asText(), labels, out);
    return out;
  }

  private static void walk(
      JsonNode route, String inherited, Map<String, String> labels, List<String> out) {
    String receiver = route.hasNonNull("receiver") ? route.path("receiver").asText() : inherited;
    boolean matchedChild = false;
    for (JsonNode child : route.path("routes")) {
      if (!matches(child, labels)) {
        continue;
      }
      matchedChild = true;
      walk(child, receiver, labels, out);
      if (!child.path("continue").asBoolean(false)) {
        break;
      }
    }
    if (!matchedChild) {
      out.add(receiver);
    }
  }

  static boolean matches(JsonNode route, Map<String, String> labels) {
    for (JsonNode m : route.path("matchers")) {
      if (!matcher(m.asText(), labels)) {
        return false;
      }
    }
    var eq = route.path("match").fields();
    while (eq.hasNext()) {
      var e = eq.next();
      if (!e.getValue().asText().equals(labels.getOrDefault(e.getKey(), ""))) {
        return false;
      }
    }
    var re = route.path("match_re").fields();
    while (re.hasNext()) {
      var e = re.next();
      if (!Pattern.compile("^(?:" + e.getValue().asText() + ")$")
          .matcher(labels.getOrDefault(e.getKey(), ""))
          .matches()) {
        return false;
      }
    }
    return true;
  }

  static boolean matcher(String text, Map<String, String> labels) {
    Matcher m = MATCHER.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an Alertmanager matcher: " + text);
    }
    String value =
        m.group(4) != null ? m.group(4).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(5);
    String actual = labels.getOrDefault(m.group(1), "");
    return switch (m.group(2)) {
      case "=" -> actual.equals(value);
      case "!=" -> !actual.equals(value);
      case "=~" -> Pattern.compile("^(?:" + value + ")$").matcher(actual).matches();
      default -> !Pattern.compile("^(?:" + value + ")$").matcher(actual).matches();
    };
  }
}
