package dev.vigil.testing.loki;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses a stream selector such as {@code {app="sshd", host="a\"b"}} the way Loki does. */
public final class LabelParser {
  private LabelParser() {}

  public static Map<String, String> parse(String s) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    String t = s.trim();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      throw new IOException("labels must be {name=\"value\", ...}: " + s);
    }
    int p = 1;
    int end = t.length() - 1;
    while (p < end) {
      while (p < end && (t.charAt(p) == ' ' || t.charAt(p) == ',')) {
        p++;
      }
      if (p >= end) {
        break;
      }
      int eq = t.indexOf('=', p);
      if (eq < 0 || eq + 1 >= end || t.charAt(eq + 1) != '"') {
        throw new IOException("bad label at " + p + ": " + s);
      }
      String name = t.substring(p, eq).trim();
      if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IOException("invalid label name '" + name + "'");
      }
      StringBuilder v = new StringBuilder();
      int q = eq + 2;
      while (true) {
        if (q >= end) {
          throw new IOException("unterminated label value: " + s);
        }
        char c = t.charAt(q);
        if (c == '\\' && q + 1 < end) {
          char n = t.charAt(q + 1);
          v.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
          q += 2;
        } else if (c == '"') {
          q++;
          break;
        } else {
          v.append(c);
          q++;
        }
      }
      if (out.put(name, v.toString()) != null) {
        throw new IOException("duplicate label " + name);
      }
      p = q;
    }
    if (out.isEmpty()) {
      throw new IOException("stream has no labels");
    }
    return out;
  }
}
