package dev.vigil.power;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds Kubernetes credentials for drain, pod checks and NodeReady: the spec's kubeconfig, else
 * $KUBECONFIG, else the in-cluster service account. Without any, those features are off (and a pods
 * check reports an error, which keeps the node awake).
 */
public final class KubernetesAccess {
  private KubernetesAccess() {}

  public static Optional<KubernetesClient> fromSpec(String kubeconfig, Map<String, String> env) {
    String path = kubeconfig != null && !kubeconfig.isBlank() ? kubeconfig : env.get("KUBECONFIG");
    try {
      if (path != null && !path.isBlank()) {
        String text = Files.readString(Path.of(path));
        return Optional.of(
            new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(text)).build());
      }
      if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
        return Optional.of(
            new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "power.kubeconfig: cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    return Optional.empty();
  }
}
