package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;
import static dev.vigil.render.kubernetes.ComputeQueries.KSM;
import static dev.vigil.render.kubernetes.ComputeQueries.NAMESPACES;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import java.util.Set;

/**
 * PersistentVolumeClaims as the kubelets measure them (space and inodes, the sources of
 * KubePersistentVolumeFillingUp and its inodes twin) and as the API server sees them (claims
 * Pending, volumes Failed).
 */
public final class PersistentVolumes implements DashboardDefinition {
  public static final String UID = "k8s-persistent-volumes";
  private static final String SEL = "job=\"kubelet\",namespace=~\"$namespace\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    Thresholds full = Thresholds.base("green").from(0.85, "orange").from(0.95, "red");
    return Dashboard.builder(UID, "Kubernetes / Persistent volumes")
        .description(
            "Space and inodes of the volume claims, as the kubelets measure them, and claims and volumes that cannot be used.")
        .tags("kubernetes", "storage")
        .variable(Variable.query("namespace", "Namespace", NAMESPACES))
        .row(
            "Claims",
            Panel.stat("Claims bound")
                .target(
                    prometheus(
                        "sum(kube_persistentvolumeclaim_status_phase{"
                            + KSM
                            + ",phase=\"Bound\",namespace=~\"$namespace\"}) or vector(0)")),
            Panel.stat("Claims pending")
                .target(
                    prometheus(
                        "sum(kube_persistentvolumeclaim_status_phase{"
                            + KSM
                            + ",phase=\"Pending\",namespace=~\"$namespace\"}) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "orange"))
                .colorBackground(),
            Panel.stat("Volumes failed or pending")
                .description("PersistentVolumes of the whole cluster in phase Failed or Pending.")
                .target(
                    prometheus(
                        "sum(kube_persistentvolume_status_phase{"
                            + KSM
                            + ",phase=~\"Failed|Pending\"}) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Capacity claimed")
                .target(
                    prometheus(
                        "sum(kube_persistentvolumeclaim_resource_requests_storage_bytes{"
                            + KSM
                            + ",namespace=~\"$namespace\"})"))
                .unit(Units.BYTES))
        .row(
            "Space",
            Panel.barGauge("Space used by claim")
                .target(
                    prometheus(
                            "max by (namespace, persistentvolumeclaim) (1 - kubelet_volume_stats_available_bytes{"
                                + SEL
                                + "}"
                                + " / kubelet_volume_stats_capacity_bytes{"
                                + SEL
                                + "})")
                        .legend("{{namespace}}/{{persistentvolumeclaim}}")
                        .instantQuery())
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(full)
                .size(12, 8),
            Panel.timeseries("Space available by claim")
                .description("A line heading for zero is KubePersistentVolumeFillingUp to come.")
                .target(
                    prometheus(
                            "max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{"
                                + SEL
                                + "})")
                        .legend("{{namespace}}/{{persistentvolumeclaim}}"))
                .unit(Units.BYTES))
        .row(
            "Inodes",
            Panel.barGauge("Inodes used by claim")
                .target(
                    prometheus(
                            "max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_inodes_used{"
                                + SEL
                                + "}"
                                + " / kubelet_volume_stats_inodes{"
                                + SEL
                                + "})")
                        .legend("{{namespace}}/{{persistentvolumeclaim}}")
                        .instantQuery())
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(full)
                .size(12, 8),
            Panel.timeseries("Inodes free by claim")
                .target(
                    prometheus(
                            "max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_inodes_free{"
                                + SEL
                                + "})")
                        .legend("{{namespace}}/{{persistentvolumeclaim}}"))
                .unit(Units.SHORT))
        .build();
  }
}
