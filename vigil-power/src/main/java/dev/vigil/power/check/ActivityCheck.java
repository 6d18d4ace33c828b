package dev.vigil.power.check;

/** One source of "someone is using this node". Implementations must be safe to call repeatedly. */
public interface ActivityCheck {
  String name();

  /** Runs the check. An exception is turned into an {@link ActivityVerdict.State#ERROR} verdict. */
  ActivityVerdict check() throws Exception;

  /** Runs the check, never throwing. */
  default ActivityVerdict safeCheck() {
    try {
      ActivityVerdict v = check();
      return v == null ? ActivityVerdict.error("check returned nothing") : v;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ActivityVerdict.error("interrupted");
    } catch (Exception e) {
      return ActivityVerdict.error(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
