package dev.vigil.spec.model;

import dev.vigil.spec.bind.Validated.Checks;

/** The check every component's resources get: no request above its limit. */
final class ResourceChecks {
  private ResourceChecks() {}

  static void check(Checks c, String field, Resources r) {
    if (r == null || r.requests() == null || r.limits() == null) {
      return;
    }
    Resources.Amounts req = r.requests();
    Resources.Amounts lim = r.limits();
    if (req.cpu() != null && lim.cpu() != null && req.cpu().compareTo(lim.cpu()) > 0) {
      c.error(field + ".requests.cpu", "request " + req.cpu() + " is above the limit " + lim.cpu());
    }
    if (req.memory() != null && lim.memory() != null && req.memory().compareTo(lim.memory()) > 0) {
      c.error(
          field + ".requests.memory",
          "request " + req.memory() + " is above the limit " + lim.memory());
    }
  }
}
