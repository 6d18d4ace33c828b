package dev.vigil.spec.model;

import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Validated.Checks;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The check a list's entry names get where the name becomes a label value and part of object names:
 * lower-case letters, digits and '-', at most {@code max} long, each used once in the list.
 */
final class UniqueNames {
  private final String what;
  private final int max;
  private final Pattern pattern;
  private final Set<String> seen = new HashSet<>();

  /**
   * @param what the kind of entry, for the duplicate message ("probe", "postgres")
   * @param max the longest name allowed
   */
  UniqueNames(String what, int max) {
    this.what = what;
    this.max = max;
    this.pattern = Pattern.compile("[a-z0-9]([-a-z0-9]{0," + (max - 2) + "}[a-z0-9])?");
  }

  void check(Checks c, String field, String name) {
    if (!pattern.matcher(name).matches()) {
      c.error(
          field,
          "expected a name of lower-case letters, digits and '-' (at most "
              + max
              + "), got "
              + Excerpts.quoted(name));
    } else if (!seen.add(name)) {
      c.error(field, "duplicate " + what + " name " + Excerpts.quoted(name));
    }
  }
}
