package dev.vigil.cli;

import dev.vigil.apply.kube.Fabric8Kube;
import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which cluster a command talks to: kubectl's kubeconfig and context, unless given here. */
public final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "Kubeconfig context (default: the current one).")
  String context;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Longest wait for one answer of the API server (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  /** Connects, or prints why it cannot and returns empty. */
  Optional<KubeApi> connect(String command, PrintWriter err) {
    try {
      return Optional.of(connect());
    } catch (KubeException e) {
      err.println("vigil " + command + ": " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
  }

  /** Connects (nothing is sent yet), or says why it cannot. */
  KubeApi connect() throws KubeException {
    return Fabric8Kube.connect(kubeconfig, context, requestTimeout);
  }
}
