package dev.vigil.power.check;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Active while pods other than DaemonSet pods, mirror pods and allow-listed ones run on the node.
 * Allow-list entries are a namespace ({@code monitoring}) or a namespace and pod-name prefix
 * ({@code media/jellyfin-}).
 */
public final class KubernetesPodsCheck implements ActivityCheck {
  private final String name;
  private final KubernetesClient client;
  private final String nodeName;
  private final List<String> allow;

  public KubernetesPodsCheck(
      String name, KubernetesClient client, String nodeName, List<String> allow) {
    this.name = name;
    this.client = client;
    this.nodeName = nodeName;
    this.allow = List.copyOf(allow);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() {
    List<String> busy =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", nodeName)
            .list()
            .getItems()
            .stream()
            .filter(
                p ->
                    p.getStatus() == null
                        || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
            .filter(p -> !ignored(p))
            .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
            .toList();
    return busy.isEmpty()
        ? ActivityVerdict.idle("no workload pods")
        : ActivityVerdict.active(
            busy.size()
                + " pod(s): "
                + String.join(", ", busy.subList(0, Math.min(5, busy.size()))));
  }

  boolean ignored(Pod p) {
    if (isDaemonSetOrMirror(p)) {
      return true;
    }
    String ns = p.getMetadata().getNamespace();
    String podName = p.getMetadata().getName();
    for (String a : allow) {
      int slash = a.indexOf('/');
      if (slash < 0
          ? ns.equals(a)
          : ns.equals(a.substring(0, slash)) && podName.startsWith(a.substring(slash + 1))) {
        return true;
      }
    }
    return false;
  }

  public static boolean isDaemonSetOrMirror(Pod p) {
    if (p.getMetadata().getAnnotations() != null
        && p.getMetadata().getAnnotations().containsKey("kubernetes.io/config.mirror")) {
      return true;
    }
    List<OwnerReference> owners = p.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
  }
}
