package dev.vigil.render.k8s;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;

/** Scheduling shared by replicated components. */
public final class Scheduling {
  private Scheduling() {}

  /** Prefer one replica per node, so losing a node loses at most one replica. */
  public static Affinity spreadByHost(ComponentObjects kit) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100)
        .withNewPodAffinityTerm()
        .withTopologyKey("kubernetes.io/hostname")
        .withLabelSelector(kit.selector())
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }
}
