package dev.vigil.apply;

import java.util.Locale;

/**
 * The order objects are applied in, chosen so no phase can fail for want of an earlier one: an
 * object's namespace and API exist before it, the accounts and priority classes pods name exist
 * before the pods, the configuration a pod mounts exists before it starts, Services exist before
 * the pods that resolve them, and policies that select pods come last.
 */
public enum Phase {
  NAMESPACES("namespaces and CRDs"),
  ACCESS("priority classes and RBAC"),
  CONFIG("configuration, Secrets and claims"),
  SERVICES("Services and Ingresses"),
  WORKLOADS("workloads"),
  POLICIES("policies");

  private final String title;

  Phase(String title) {
    this.title = title;
  }

  /** What the phase applies, as the progress output names it. */
  public String title() {
    return title;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** 1-based position, for "phase 3/6". */
  public int number() {
    return ordinal() + 1;
  }
}
