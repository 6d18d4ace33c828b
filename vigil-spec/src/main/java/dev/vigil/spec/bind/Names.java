package dev.vigil.spec.bind;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Suggestions for misspelled names ("did you mean 'retention'?"). */
public final class Names {
  private Names() {}

  /**
   * The candidate closest to {@code typo}, if it is close enough to be a likely misspelling: an
   * edit distance (case-insensitive, with transpositions) of at most 1 for names up to 4
   * characters, 2 up to 8 and 3 beyond; failing that, a candidate that starts with {@code typo} (at
   * least 3 characters), as in "prod" for "production". Ties go to the alphabetically first
   * candidate, so the answer does not depend on the collection's order.
   */
  public static Optional<String> didYouMean(String typo, Collection<String> candidates) {
    String t = typo.toLowerCase(Locale.ROOT);
    int limit = t.length() <= 4 ? 1 : t.length() <= 8 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(candidates)) {
      String c = candidate.toLowerCase(Locale.ROOT);
      // The distance is at least the difference in length: far-off names cost no table.
      if (candidate.equals(typo) || Math.abs(c.length() - t.length()) > limit) {
        continue;
      }
      int d = distance(t, c);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (bestDistance <= limit) {
      return Optional.of(best);
    }
    // An abbreviation ("prod" for "production") is too far by edits but still obvious.
    if (t.length() >= 3) {
      for (String candidate : new TreeSet<>(candidates)) {
        if (candidate.toLowerCase(Locale.ROOT).startsWith(t)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** " (did you mean 'x'?)" or the empty string; for appending to a message. */
  public static String hint(String typo, Collection<String> candidates) {
    return didYouMean(typo, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
