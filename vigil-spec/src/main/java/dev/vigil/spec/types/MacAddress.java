package dev.vigil.spec.types;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** A 48-bit MAC address, written with ':' or '-' separators. */
@Doc("MAC address such as aa:bb:cc:dd:ee:ff (':' or '-' separated).")
public record MacAddress(String text) {
  public static final String SCHEMA_PATTERN = "^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$";
  private static final Pattern SYNTAX = Pattern.compile(SCHEMA_PATTERN);

  public static MacAddress parse(String text) {
    if (text == null || !SYNTAX.matcher(text.trim()).matches()) {
      throw new IllegalArgumentException(
          "expected a MAC address such as aa:bb:cc:dd:ee:ff, got "
              + (text == null ? "nothing" : Excerpts.quoted(text)));
    }
    return new MacAddress(text.trim().replace('-', ':').toLowerCase(Locale.ROOT));
  }

  public byte[] bytes() {
    return HexFormat.ofDelimiter(":").parseHex(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
