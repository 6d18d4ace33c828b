package dev.vigil.power;

import java.util.Locale;

/** Power state of a node as shown in status and metrics. */
public enum NodeState {
  AWAKE,
  IDLE,
  SLEEPING,
  WAKING,
  UNKNOWN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
