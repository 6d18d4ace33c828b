package dev.vigil.spec.power;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;

/**
 * An optional secret reference: absent (both fields empty) means "no secret". Only the reference is
 * ever printed; the value is read when the power manager starts.
 */
@Doc("Reference to a secret value: env (environment variable) or file; leave both out for none.")
public record PowerSecret(
    @Doc("Environment variable holding the value.") String env,
    @Doc("File holding the value (trailing newline ignored).") String file)
    implements Validated {

  public boolean isSet() {
    return env != null || file != null;
  }

  @Override
  public void validate(Checks c) {
    if (env != null && file != null) {
      c.error("", "expected one of env or file, not both");
    }
    if (env != null && !env.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      c.error("env", "expected an environment variable name, got '" + env + "'");
    }
  }

  /** Names the source, never the value. */
  @Override
  public String toString() {
    return env != null ? "env:" + env : file != null ? "file:" + file : "none";
  }
}
