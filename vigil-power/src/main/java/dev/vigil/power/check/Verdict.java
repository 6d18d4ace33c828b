package dev.vigil.power.check;

/** Outcome of one activity check run. */
public record Verdict(State state, String detail) {
  public enum State {
    ACTIVE,
    IDLE,
    ERROR
  }

  public static Verdict active(String detail) {
    return new Verdict(State.ACTIVE, detail);
  }

  public static Verdict idle(String detail) {
    return new Verdict(State.IDLE, detail);
  }

  public static Verdict error(String detail) {
    return new Verdict(State.ERROR, detail);
  }

  /** Whether this verdict keeps the node awake; errors do unless configured otherwise. */
  public boolean keepsAwake(boolean errorCountsAsActive) {
    return state == State.ACTIVE || (state == State.ERROR && errorCountsAsActive);
  }
}
