package dev.vigil.apply;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import dev.vigil.spec.model.Station;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vigil apply}: preflight, the phases, prune, then the wait, each reported as it happens.
 * Exit codes: 0 applied and ready (or a clean dry run), 1 applied but not ready in time, 2 an input
 * or access problem — in which case nothing, or only what the report lists, was applied.
 */
public final class Deploy {
  public static final int OK = 0;
  public static final int NOT_READY = 1;
  public static final int PROBLEM = 2;

  /**
   * @param dryRun server-side dry run: every check of the server, nothing stored, no wait
   * @param waitUntilReady wait until the stack is up after applying
   */
  public record Options(
      boolean dryRun,
      boolean forceConflicts,
      boolean prune,
      boolean waitUntilReady,
      Duration timeout,
      Duration poll) {}

  private Deploy() {}

  public static int run(
      Station station,
      Plan plan,
      KubeApi kube,
      Options o,
      PrintWriter out,
      PrintWriter err,
      Progress progress,
      Clock clock,
      Waiter.Sleeper sleeper) {
    out.println(
        (o.dryRun() ? "Server dry run of station " : "Applying station ")
            + plan.instance()
            + " to "
            + kube.target()
            + ": "
            + plural(plan.size(), "object")
            + " of "
            + plural(plan.selection().components().size(), "component"));
    selection(plan.selection(), out);
    Preflight.Report pre = Preflight.run(plan, station, kube, o.prune());
    for (String p : pre.passed()) {
      out.println("  ok  " + p);
    }
    if (!pre.ok()) {
      out.flush();
      err.println(
          "vigil apply: "
              + pre.problems().size()
              + (pre.problems().size() == 1 ? " problem" : " problems")
              + " found before applying anything; nothing was applied:");
      for (Preflight.Problem p : pre.problems()) {
        err.println("  - " + p.message());
        for (String fix : p.fixes()) {
          err.println("      " + fix);
        }
      }
      err.flush();
      return PROBLEM;
    }
    out.flush();

    Applier.Report report =
        Applier.apply(
            plan,
            kube,
            o.dryRun(),
            o.forceConflicts(),
            new Applier.Listener() {
              @Override
              public void phase(Phase phase, int objects) {
                out.println(
                    "Phase "
                        + phase.number()
                        + "/"
                        + Phase.values().length
                        + " "
                        + phase.title()
                        + " ("
                        + objects
                        + (objects == 1 ? " object)" : " objects)"));
                out.flush();
              }

              @Override
              public void applied(Applier.Applied a) {
                out.println(
                    String.format(
                        Locale.ROOT,
                        "  %-11s %s%s",
                        a.result().label(),
                        a.step().ref(),
                        a.note().isEmpty() ? "" : " (" + a.note() + ")"));
                out.flush();
              }
            });
    if (!report.complete()) {
      halfway(plan, report, out, err);
      return PROBLEM;
    }
    out.println(summary(report));

    if (o.prune()) {
      int pruned = prune(plan, kube, o.dryRun(), out, err);
      if (pruned < 0) {
        return PROBLEM;
      }
    }
    if (o.dryRun()) {
      out.println(
          "Server dry run complete: the API server accepted every object; nothing was changed.");
      out.flush();
      return OK;
    }
    if (!o.waitUntilReady()) {
      out.flush();
      return OK;
    }
    List<Watch> watches = Watch.of(plan);
    if (watches.isEmpty()) {
      out.println("Nothing to wait for: the applied objects run no workloads.");
      out.flush();
      return OK;
    }
    out.println(
        "Waiting until the stack is up (timeout " + ProgressLines.clock(o.timeout()) + "):");
    out.flush();
    Waiter.Result r = Waiter.await(watches, kube, o.timeout(), o.poll(), clock, sleeper, progress);
    return finish(r, o, out, err);
  }

  /**
   * {@code vigil diff}: a server-side dry run of the plan, printed as a unified diff per object
   * that would change. Exit 0 nothing would change, 1 something would, 2 an input or access
   * problem.
   */
  public static int diff(
      Station station, Plan plan, KubeApi kube, PrintWriter out, PrintWriter err) {
    Preflight.Report pre = Preflight.run(plan, station, kube, false);
    if (!pre.ok()) {
      err.println(
          "vigil diff: "
              + pre.problems().size()
              + (pre.problems().size() == 1 ? " problem" : " problems")
              + " before the dry run:");
      for (Preflight.Problem p : pre.problems()) {
        err.println("  - " + p.message());
        for (String fix : p.fixes()) {
          err.println("      " + fix);
        }
      }
      err.flush();
      return PROBLEM;
    }
    Applier.Report report = Applier.apply(plan, kube, true, false, Applier.Listener.NONE);
    if (!report.complete()) {
      out.flush();
      err.println(
          "vigil diff: the API server refused the dry run of "
              + report.failure().step().ref()
              + ": "
              + report.failure().error().getMessage());
      err.flush();
      return PROBLEM;
    }
    int changed = 0;
    for (Differ.ObjectDiff d : Differ.diffs(report)) {
      if (d.text().isEmpty()) {
        continue;
      }
      changed++;
      out.print(d.text());
      if (!d.note().isEmpty()) {
        out.println("# " + d.note());
      }
    }
    long unchanged = report.applied().size() - changed;
    out.println(
        (changed == 0
                ? "No differences: "
                : changed + " of " + report.applied().size() + " objects would change; ")
            + unchanged
            + " unchanged ("
            + kube.target()
            + ").");
    out.flush();
    return changed == 0 ? OK : NOT_READY;
  }

  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  static void selection(Selection.Selected s, PrintWriter out) {
    if (s.everything()) {
      return;
    }
    out.println("  selected: " + String.join(", ", s.requested()));
    s.added()
        .forEach((c, why) -> out.println("  also applying " + c + ": " + String.join("; ", why)));
    s.leftOut()
        .forEach(
            (c, why) ->
                out.println(
                    "  not applying "
                        + c
                        + " (dependencies off), though "
                        + String.join("; ", why)
                        + ": it must already be running"));
  }

  static String summary(Applier.Report r) {
    String counts =
        r.count(Applier.Result.CREATED)
            + " created, "
            + r.count(Applier.Result.CONFIGURED)
            + " configured, "
            + r.count(Applier.Result.UNCHANGED)
            + " unchanged";
    long notChecked = r.count(Applier.Result.NOT_CHECKED);
    return (r.dryRun() ? "Would apply " : "Applied ")
        + plural(r.applied().size(), "object")
        + ": "
        + counts
        + (notChecked > 0
            ? ", " + notChecked + " not checked (their namespace is created by this deploy)"
            : "")
        + ".";
  }

  static void halfway(Plan plan, Applier.Report report, PrintWriter out, PrintWriter err) {
    out.flush();
    Applier.Failure f = report.failure();
    Phase phase = f.step().phase();
    err.println(
        "vigil apply: phase "
            + phase.number()
            + "/"
            + Phase.values().length
            + " ("
            + phase.title()
            + ") failed at "
            + f.step().ref()
            + ":");
    err.println("  " + f.error().getMessage());
    if (f.error().reason() == KubeException.Reason.CONFLICT) {
      err.println(
          "  Another field manager (kubectl, Helm, an operator) owns fields Vigil sets: rerun with"
              + " --force-conflicts to take them over, or remove them from the other tool first.");
    }
    long inPhase = report.applied().stream().filter(a -> a.step().phase() == phase).count();
    List<String> complete = new ArrayList<>();
    for (Phase p : Phase.values()) {
      if (p.ordinal() < phase.ordinal() && !plan.phase(p).isEmpty()) {
        complete.add(String.valueOf(p.number()));
      }
    }
    err.println(
        "Applied: "
            + report.applied().size()
            + " objects"
            + (complete.isEmpty() ? "" : " (phases " + String.join(", ", complete) + " complete")
            + (complete.isEmpty() ? " (" : ", ")
            + inPhase
            + " of "
            + plan.phase(phase).size()
            + " in phase "
            + phase.number()
            + ").");
    Map<Phase, Integer> left = new EnumMap<>(Phase.class);
    left.put(phase, 1);
    for (Plan.Step s : report.notApplied()) {
      left.merge(s.phase(), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    left.forEach((p, n) -> parts.add("phase " + p.number() + ": " + n));
    err.println(
        "Not applied: "
            + (report.notApplied().size() + 1)
            + " objects ("
            + String.join(", ", parts)
            + "), starting with "
            + f.step().ref()
            + ".");
    err.println(
        "Nothing was rolled back. Fix the cause and run the same command again: server-side apply is"
            + " idempotent, so it resumes where this run stopped (what was applied shows as unchanged).");
    err.flush();
  }

  /** Deletes (or, in a dry run, lists) what the render no longer produces; -1 on failure. */
  static int prune(Plan plan, KubeApi kube, boolean dryRun, PrintWriter out, PrintWriter err) {
    List<Pruner.Candidate> candidates;
    try {
      candidates = Pruner.candidates(plan, kube);
    } catch (KubeException e) {
      out.flush();
      err.println("vigil apply: --prune could not list the station's objects: " + e.getMessage());
      err.println("Everything was applied; nothing was pruned.");
      err.flush();
      return -1;
    }
    if (candidates.isEmpty()) {
      out.println(
          "Prune: nothing to delete (every object labelled as station "
              + plan.instance()
              + " is still rendered).");
      return 0;
    }
    out.println(
        "Prune: "
            + plural(candidates.size(), "object")
            + " labelled as station "
            + plan.instance()
            + (candidates.size() == 1 ? " is" : " are")
            + " no longer rendered"
            + (dryRun ? " and would be deleted:" : "; deleting:"));
    for (Pruner.Candidate c : candidates) {
      out.println(
          "  "
              + (dryRun ? "would delete " : "delete       ")
              + c.ref()
              + (c.component().isEmpty() ? "" : " (component " + c.component() + ")"));
    }
    out.flush();
    if (dryRun) {
      return candidates.size();
    }
    int deleted = 0;
    for (Pruner.Candidate c : candidates) {
      try {
        kube.delete(c.ref());
        deleted++;
      } catch (KubeException e) {
        if (e.reason() == KubeException.Reason.NOT_FOUND) {
          continue;
        }
        err.println("vigil apply: could not delete " + c.ref() + ": " + e.getMessage());
        err.println(
            "Deleted " + deleted + " of " + candidates.size() + "; run again to finish pruning.");
        err.flush();
        return -1;
      }
    }
    out.println("  deleted " + plural(deleted, "object"));
    return deleted;
  }

  static int finish(Waiter.Result r, Options o, PrintWriter out, PrintWriter err) {
    out.println();
    out.println("Summary:");
    int w = ProgressLines.nameWidth(r.components());
    for (ComponentState s : r.components()) {
      out.println(ProgressLines.line(s, w, false));
    }
    out.flush();
    if (r.error() != null) {
      err.println(
          "vigil apply: everything was applied, but waiting stopped: " + r.error().getMessage());
      err.flush();
      return PROBLEM;
    }
    if (r.allReady()) {
      out.println(
          "The stack is up: "
              + plural(r.components().size(), "component")
              + " ready after "
              + ProgressLines.clock(r.elapsed())
              + ".");
      out.flush();
      return OK;
    }
    List<String> notReady =
        r.components().stream().filter(c -> !c.ready()).map(ComponentState::component).toList();
    boolean failed = r.components().stream().anyMatch(ComponentState::failed);
    err.println(
        "vigil apply: everything was applied, but "
            + String.join(", ", notReady)
            + (notReady.size() == 1 ? " is" : " are")
            + " not ready"
            + (r.timedOut()
                ? " after " + ProgressLines.clock(o.timeout()) + " (--timeout)"
                : failed ? " (failed)" : "")
            + ". The reasons are above; `vigil verify` checks the whole stack, and running `vigil apply` again waits again.");
    err.flush();
    return NOT_READY;
  }
}
