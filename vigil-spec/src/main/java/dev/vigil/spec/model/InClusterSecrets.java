package dev.vigil.spec.model;

import dev.vigil.spec.bind.Validated.Checks;
import dev.vigil.spec.types.SecretRef;

/**
 * The check every secret read by something running in the cluster gets: it must name a Kubernetes
 * Secret. An environment variable or a file exists only on the machine that renders, and writing
 * its value into the output would put a secret in a rendered file.
 */
public final class InClusterSecrets {
  private InClusterSecrets() {}

  /** What is wrong with {@code ref} for {@code consumer}, or null. */
  public static String problem(SecretRef ref, String consumer) {
    if (ref == null || ref.secret() != null || (ref.env() == null && ref.file() == null)) {
      // A reference naming nothing is SecretRef's own error.
      return null;
    }
    return consumer
        + " runs in the cluster and reads secrets from Kubernetes Secrets: expected secret: {name,"
        + " key}, got "
        + ref.describe()
        + " (env and file references are for the agent on a host)";
  }

  static void check(Checks c, String field, SecretRef ref, String consumer) {
    String problem = problem(ref, consumer);
    if (problem != null) {
      c.error(field, problem);
    }
  }
}
