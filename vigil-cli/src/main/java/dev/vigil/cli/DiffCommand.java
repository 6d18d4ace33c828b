package dev.vigil.cli;

import dev.vigil.apply.Deploy;
import dev.vigil.apply.kube.KubeApi;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Show what `vigil apply` would change: a server-side dry run of every object, shown as a unified diff"
          + " against the live object.",
      "Exit 0 nothing would change, 1 something would, 2 an input or access problem."
    })
public final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOptions specOptions;

  @Mixin Selecting selecting;

  @Mixin KubeOptions kubeOptions;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Optional<StationPlan> plan = StationPlan.make("diff", specOptions, selecting, err);
    if (plan.isEmpty()) {
      err.flush();
      return ExitCodes.INPUT;
    }
    Optional<KubeApi> kube = kubeOptions.connect("diff", err);
    if (kube.isEmpty()) {
      return ExitCodes.INPUT;
    }
    try (KubeApi k = kube.get()) {
      return Deploy.diff(plan.get().station(), plan.get().plan(), k, out, err);
    }
  }
}
