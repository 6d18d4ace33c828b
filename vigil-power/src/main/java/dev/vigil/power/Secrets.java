package dev.vigil.power;

import dev.vigil.spec.power.PowerSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Resolves secret references; errors name the reference, never the value. */
public final class Secrets {
  private Secrets() {}

  public static Optional<String> resolve(PowerSecret ref, Map<String, String> env) {
    if (ref == null || !ref.isSet()) {
      return Optional.empty();
    }
    if (ref.env() != null) {
      String v = env.get(ref.env());
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException(
            "secret " + ref + ": environment variable " + ref.env() + " is not set");
      }
      return Optional.of(v);
    }
    try {
      String v = Files.readString(Path.of(ref.file()), StandardCharsets.UTF_8).strip();
      if (v.isEmpty()) {
        throw new IllegalArgumentException("secret " + ref + ": file is empty");
      }
      return Optional.of(v);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "secret " + ref + ": cannot read file (" + e.getClass().getSimpleName() + ")");
    }
  }
}
