package dev.vigil.cli;

import dev.vigil.apply.Deploy;
import dev.vigil.apply.Progress;
import dev.vigil.apply.ProgressLines;
import dev.vigil.apply.Waiter;
import dev.vigil.apply.kube.KubeApi;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Deploy the station: server-side apply (field manager vigil) in phases that cannot fail for ordering —"
          + " namespaces and CRDs, priority classes and RBAC, configuration and Secrets, Services, workloads,"
          + " policies — then wait until the stack is up.",
      "Before anything is applied it checks the cluster answers, RBAC allows every verb, the CRDs objects need"
          + " are installed and every Secret the spec references exists.",
      "Exit 0 applied and ready, 1 applied but not ready in time, 2 an input or access problem."
    })
public final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOptions specOptions;

  @Mixin Selecting selecting;

  @Mixin KubeOptions kubeOptions;

  @Option(
      names = "--dry-run",
      paramLabel = "server",
      arity = "0..1",
      fallbackValue = "server",
      description =
          "server: the API server checks every object (defaults, validation, admission) and stores nothing.")
  String dryRun;

  @Option(
      names = "--prune",
      description =
          "Delete this station's objects that the render no longer produces (listed before they are deleted).")
  boolean prune;

  @Option(
      names = "--force-conflicts",
      description =
          "Take over fields another field manager (kubectl, Helm) owns instead of stopping.")
  boolean forceConflicts;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long to wait for the stack to be up (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--no-wait", description = "Return once everything is applied, without waiting.")
  boolean noWait;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (default), terminal (a line per component, redrawn) or plain (a line per change, for logs and CI).")
  String progress;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (dryRun != null && !dryRun.equals("server") && !dryRun.equals("none")) {
      throw new ParameterException(
          spec.commandLine(),
          "--dry-run: expected server (or none), got '"
              + dryRun
              + "'"
              + (dryRun.equals("client") ? "; a client-side dry run is `vigil render`" : ""));
    }
    if (!progress.equals("auto") && !progress.equals("terminal") && !progress.equals("plain")) {
      throw new ParameterException(
          spec.commandLine(),
          "--progress: expected auto, terminal or plain, got '" + progress + "'");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ParameterException(
          spec.commandLine(), "--timeout must be positive, got " + timeout);
    }
    Optional<StationPlan> plan = StationPlan.make("apply", specOptions, selecting, err);
    if (plan.isEmpty()) {
      err.flush();
      return ExitCodes.INPUT;
    }
    Optional<KubeApi> kube = kubeOptions.connect("apply", err);
    if (kube.isEmpty()) {
      return ExitCodes.INPUT;
    }
    try (KubeApi k = kube.get()) {
      Deploy.Options o =
          new Deploy.Options(
              "server".equals(dryRun),
              forceConflicts,
              prune,
              !noWait,
              timeout,
              Duration.ofSeconds(2));
      return Deploy.run(
          plan.get().station(),
          plan.get().plan(),
          k,
          o,
          out,
          err,
          progress(out),
          Clock.systemUTC(),
          Waiter.Sleeper.REAL);
    }
  }

  private Progress progress(PrintWriter out) {
    boolean terminal =
        switch (progress) {
          case "terminal" -> true;
          case "plain" -> false;
          default ->
              System.console() != null
                  && System.getenv("CI") == null
                  && !"dumb".equals(System.getenv("TERM"));
        };
    if (!terminal) {
      return ProgressLines.plain(out);
    }
    int width = 120;
    try {
      String columns = System.getenv("COLUMNS");
      if (columns != null) {
        width = Integer.parseInt(columns.trim());
      }
    } catch (NumberFormatException e) {
      // Keep the default width.
    }
    return ProgressLines.terminal(out, width);
  }
}
