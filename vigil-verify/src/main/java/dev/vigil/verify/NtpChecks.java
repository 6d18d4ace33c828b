package dev.vigil.verify;

import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import dev.vigil.time.LeapIndicator;
import dev.vigil.time.NtpMeasurement;
import dev.vigil.time.NtpSample;
import dev.vigil.time.NtpStatus;
import java.util.ArrayList;
import java.util.List;

/** Turns direct NTP measurements into checks. */
final class NtpChecks {
  private NtpChecks() {}

  static List<Check> of(String target, NtpMeasurement m, TimeThresholds t) {
    List<Check> out = new ArrayList<>();
    String replies = m.validReplies() + "/" + m.requestsSent() + " valid replies";
    switch (m.status()) {
      case TIMEOUT, ERROR, UNRESOLVED -> {
        out.add(new Check(target, "reachable", Verdict.FAIL, "no", "", m.detail()));
        return out;
      }
      case KOD_DENY, KOD_RSTR, KOD_RATE, KOD_OTHER -> {
        out.add(
            new Check(
                target,
                "reply",
                Verdict.FAIL,
                m.status().name().toLowerCase(java.util.Locale.ROOT),
                "",
                m.detail() + "; refused, not trusted"));
        return out;
      }
      case INVALID -> {
        out.add(
            new Check(target, "reply", Verdict.FAIL, "invalid", "", m.detail() + "; not trusted"));
        return out;
      }
      default -> out.add(new Check(target, "reply", Verdict.PASS, "valid", "", replies));
    }
    NtpSample s = m.sample().orElseThrow();
    boolean unsync = m.status() == NtpStatus.UNSYNCHRONISED;
    out.add(
        new Check(
            target,
            "leap",
            s.leap() == LeapIndicator.UNSYNCHRONISED ? Verdict.FAIL : Verdict.PASS,
            s.leap().name().toLowerCase(java.util.Locale.ROOT),
            "not unsynchronised",
            unsync ? "server is not synchronised; its time is not trusted" : ""));
    boolean stratumOk = s.stratum() >= 1 && s.stratum() <= t.maxStratum();
    out.add(
        new Check(
                target,
                "stratum",
                stratumOk ? Verdict.PASS : Verdict.FAIL,
                Integer.toString(s.stratum()),
                "<= " + t.maxStratum(),
                s.stratum() >= 16 ? "16 means unsynchronised" : "")
            .withValue(s.stratum()));
    if (unsync) {
      out.add(
          new Check(
                  target,
                  "offset",
                  Verdict.FAIL,
                  Figures.seconds(s.offsetSeconds()),
                  "< " + Figures.duration(t.offsetWarning()),
                  "claimed by an unsynchronised server; not trusted")
              .withValue(s.offsetSeconds()));
    } else {
      out.add(
          offset(
              target,
              "offset",
              s.offsetSeconds(),
              t,
              "delay " + Figures.unsigned(s.delaySeconds())));
    }
    return out;
  }

  static Check offset(
      String target, String check, double seconds, TimeThresholds t, String detail) {
    double abs = Math.abs(seconds);
    Verdict v;
    if (abs >= Figures.seconds(t.offsetCritical())) {
      v = Verdict.FAIL;
    } else if (abs >= Figures.seconds(t.offsetWarning())) {
      v = Verdict.WARN;
    } else {
      v = Verdict.PASS;
    }
    return new Check(
        target,
        check,
        v,
        Figures.seconds(seconds),
        "warn "
            + Figures.duration(t.offsetWarning())
            + ", fail "
            + Figures.duration(t.offsetCritical()),
        detail,
        seconds);
  }

  /** Whole-run check: at least N trustworthy sources among those measured directly. */
  static Check sources(List<NtpMeasurement> all, TimeThresholds t) {
    long trusted = all.stream().filter(m -> m.status().trusted()).count();
    return new Check(
        "all servers",
        "sources",
        trusted >= t.minReachableSources() ? Verdict.PASS : Verdict.FAIL,
        trusted + " trusted of " + all.size(),
        ">= " + t.minReachableSources(),
        "",
        (double) trusted);
  }
}
