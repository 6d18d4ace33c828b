package dev.vigil.spec.types;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes resource quantity such as {@code 10Gi}, {@code 500m} or {@code 2}. */
@Doc("Kubernetes quantity: a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti, Pi).")
public record Quantity(String text, BigDecimal value) implements Comparable<Quantity> {
  public static final String SCHEMA_PATTERN =
      "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$";
  private static final Pattern SYNTAX = Pattern.compile(SCHEMA_PATTERN);
  private static final Map<String, BigDecimal> FACTORS =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("m", new BigDecimal("0.001")),
          Map.entry("k", BigDecimal.TEN.pow(3)),
          Map.entry("M", BigDecimal.TEN.pow(6)),
          Map.entry("G", BigDecimal.TEN.pow(9)),
          Map.entry("T", BigDecimal.TEN.pow(12)),
          Map.entry("P", BigDecimal.TEN.pow(15)),
          Map.entry("E", BigDecimal.TEN.pow(18)),
          Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
          Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
          Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
          Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
          Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
          Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

  /** The largest value: the most bytes a signed 64-bit count holds, just under 8Ei. */
  public static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /** Longer text is no quantity anyone means, and a long number costs quadratic time to read. */
  private static final int MAX_TEXT = 64;

  public static Quantity parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = t.length() > MAX_TEXT ? null : SYNTAX.matcher(t);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "expected a quantity such as 10Gi, 512Mi or 500m, got "
              + (text == null ? "nothing" : Excerpts.quoted(text)));
    }
    String suffix = m.group(2) == null ? "" : m.group(2);
    BigDecimal number = new BigDecimal(t.substring(0, t.length() - suffix.length()));
    BigDecimal value = number.multiply(FACTORS.get(suffix));
    if (value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "quantity '"
              + t
              + "' is too large: at most "
              + MAX.toPlainString()
              + " (just under 8Ei)");
    }
    return new Quantity(t, value);
  }

  /** Value in bytes, for storage sizes. */
  public long bytes() {
    return value.longValue();
  }

  /**
   * The quantity in Prometheus' size units (B, KB, MB, GB, TB — powers of 1024 in Prometheus),
   * rounded down so a retention limit never exceeds the quantity.
   */
  public String prometheusSize() {
    long b = bytes();
    String[] units = {"TB", "GB", "MB", "KB"};
    long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (b >= factors[i] && b % factors[i] == 0) {
        return (b / factors[i]) + units[i];
      }
    }
    return (b >> 20) + "MB";
  }

  @Override
  public int compareTo(Quantity o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return text;
  }
}
