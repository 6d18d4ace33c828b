package dev.vigil.spec.types;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Validated;

/**
 * Where a secret value comes from. The value itself never appears in the spec, in rendered files or
 * in output: only the reference does.
 */
@dev.vigil.spec.bind.Sensitive
@Doc("Reference to a secret value: exactly one of env, file or secret.")
public record SecretRef(
    @Doc(
            "Name of an environment variable holding the value (read when the stack is built or the agent starts).")
        String env,
    @Doc("Path of a file holding the value (relative paths are relative to the spec file).")
        String file,
    @Doc("An existing Kubernetes Secret in the stack's namespace.") SecretKey secret)
    implements Validated {

  @Doc("Key of an existing Kubernetes Secret.")
  public record SecretKey(
      @Doc("Secret name.") @dev.vigil.spec.bind.Required String name,
      @Doc("Key inside the Secret.") @dev.vigil.spec.bind.Required String key) {}

  public static SecretRef ofEnv(String env) {
    return new SecretRef(env, null, null);
  }

  public static SecretRef ofSecret(String name, String key) {
    return new SecretRef(null, null, new SecretKey(name, key));
  }

  @Override
  public void validate(Checks checks) {
    int set = (env != null ? 1 : 0) + (file != null ? 1 : 0) + (secret != null ? 1 : 0);
    if (set != 1) {
      checks.error(
          "",
          set == 0
              ? "expected a secret reference: one of env, file or secret"
              : "expected exactly one of env, file or secret, got " + set);
    }
    if (env != null && !env.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      checks.error("env", "expected an environment variable name, got " + Excerpts.quoted(env));
    }
  }

  /** A description safe to print: names the source, never the value. */
  public String describe() {
    if (env != null) {
      return "env:" + env;
    }
    if (file != null) {
      return "file:" + file;
    }
    return secret == null ? "unset" : "secret:" + secret.name() + "/" + secret.key();
  }

  @Override
  public String toString() {
    return describe();
  }
}
