package dev.vigil.power.check;

/** One source of "someone is using this node". Implementations must be safe to call repeatedly. */
public interface ActivityCheck {
  String name();

  /** Runs the check. An exception is turned into an {@link Verdict.State#ERROR} verdict. */
  Verdict check() throws Exception;

  /** Runs the check, never throwing. */
  default Verdict safeCheck() {
    try {
      Verdict v = check();
      return v == null ? Verdict.error("check returned nothing") : v;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.error("interrupted");
    } catch (Exception e) {
      return Verdict.error(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
