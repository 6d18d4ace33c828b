package dev.vigil.base;

/**
 * Quotes label values and log field values with the escapes every reader on the other side
 * understands: PromQL and LogQL label matchers (Loki's push stream selector is parsed by the PromQL
 * lexer) and logfmt decoders. Backslash, double quote, newline, carriage return and tab get their
 * short escapes, other control characters a four-digit Unicode escape (the form both PromQL and
 * JSON-style logfmt decoders read); everything else, non-ASCII text included, is kept as is.
 */
public final class LabelValues {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LabelValues() {}

  /** {@code "value"}, escaped. */
  public static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2);
    appendQuoted(sb, value);
    return sb.toString();
  }

  /** Appends {@code "value"}, escaped, to {@code sb}. */
  public static void appendQuoted(StringBuilder sb, String value) {
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
