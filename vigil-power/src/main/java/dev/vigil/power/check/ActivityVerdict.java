package dev.vigil.power.check;

/** Outcome of one activity check run. */
public record ActivityVerdict(State state, String detail) {
  public enum State {
    ACTIVE,
    IDLE,
    ERROR
  }

  public static ActivityVerdict active(String detail) {
    return new ActivityVerdict(State.ACTIVE, detail);
  }

  public static ActivityVerdict idle(String detail) {
    return new ActivityVerdict(State.IDLE, detail);
  }

  public static ActivityVerdict error(String detail) {
    return new ActivityVerdict(State.ERROR, detail);
  }

  /** Whether this verdict keeps the node awake; errors do unless configured otherwise. */
  public boolean keepsAwake(boolean errorCountsAsActive) {
    return state == State.ACTIVE || (state == State.ERROR && errorCountsAsActive);
  }
}
