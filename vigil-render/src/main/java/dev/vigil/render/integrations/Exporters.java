package dev.vigil.render.integrations;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderContext;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.prometheus.PrometheusRenderer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every application exporter shares: one Deployment per watched server in the stack's
 * namespace, named after the component and the spec's instance name, hardened like the rest of the
 * stack, reachable only by Prometheus and reaching only DNS and its server's port; and one scrape
 * job per kind of server whose targets carry the instance name as {@code instance}, so a restarted
 * exporter keeps its series.
 */
public final class Exporters {
  /** Pod label with the spec's instance name; the scrape job copies it into {@code instance}. */
  public static final String INSTANCE_LABEL = "vigil.dev/instance";

  static final String PORT_NAME = "metrics";

  private Exporters() {}

  /** The objects of one instance: objects named {@code <component>-<instance>}. */
  public static ComponentObjects kit(
      RenderContext ctx, String component, String instance, String role, String image) {
    return new ComponentObjects(ctx, component + "-" + instance, ctx.namespace(), role, image);
  }

  /** An environment variable from a Secret key. */
  public static EnvVar secretEnv(String name, dev.vigil.spec.types.SecretRef ref) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(ref.secret().name())
        .withKey(ref.secret().key())
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  /**
   * The exporter container: hardened, its metrics port named "metrics", probed on a path that
   * answers without asking the watched server, so a server outage is an alert, not a restart loop.
   */
  public static ContainerBuilder container(
      ComponentObjects kit,
      String name,
      int port,
      io.fabric8.kubernetes.api.model.ResourceRequirements resources,
      String probePath) {
    return kit.container(name, kit.image(), resources)
        .withPorts(
            new ContainerPortBuilder()
                .withName(PORT_NAME)
                .withContainerPort(port)
                .withProtocol("TCP")
                .build())
        .withLivenessProbe(ComponentObjects.httpProbe(probePath, PORT_NAME, 0, 30, 4))
        .withReadinessProbe(ComponentObjects.httpProbe(probePath, PORT_NAME, 0, 10, 3));
  }

  /**
   * ServiceAccount, Deployment, PDB and NetworkPolicy of one exporter. One replica on purpose: two
   * would be two targets with the same instance and every series twice; when it stops, TargetDown
   * says so.
   */
  public static void render(
      ComponentOutput out,
      ComponentObjects kit,
      String instance,
      Container container,
      long uid,
      List<NetworkPolicyPort> egress) {
    RenderContext ctx = kit.ctx();
    out.add(kit.serviceAccount(false));
    Map<String, String> podLabels = new LinkedHashMap<>(kit.labels());
    podLabels.put(INSTANCE_LABEL, instance);
    var meta = kit.meta(kit.name());
    meta.setAnnotations(
        ComponentObjects.exemption(
            "One exporter per watched server: a second replica would be a second"
                + " target with the same instance label and report every series twice; TargetDown fires while it is down.",
            "single-replica"));
    out.add(
        new DeploymentBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withReplicas(1)
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(kit.name())
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(ComponentObjects.podSecurity(uid, uid))
            .withContainers(container)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(kit.pdb(1));
    int port = container.getPorts().get(0).getContainerPort();
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(port)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .restrictEgress();
    if (!egress.isEmpty()) {
      // The server may be a Service in an application's namespace, a pod, or a host on the LAN:
      // the exporter may reach its port, wherever that is.
      np.allowOut(egress);
    }
    out.add(np.build());
  }

  /**
   * The scrape job of every exporter of one kind: the stack namespace's pods with the kind's role
   * label, on their "metrics" port, {@code instance} from the pod's instance label.
   */
  public static Map<String, Object> scrapeJob(String job, RenderContext ctx, String role) {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", "pod");
    sd.put("namespaces", Map.of("names", List.of(ctx.namespace())));
    sd.put(
        "selectors",
        List.of(
            ordered(
                "role",
                "pod",
                "label",
                "app.kubernetes.io/component=" + role + ",app.kubernetes.io/part-of=vigil")));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    j.put("kubernetes_sd_configs", List.of(sd));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_container_port_name"),
            "regex",
            PORT_NAME,
            "action",
            "keep"));
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_phase"),
            "regex",
            "Pending|Succeeded|Failed|Unknown",
            "action",
            "drop"));
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_label_vigil_dev_instance"),
            "target_label",
            "instance"));
    relabel.add(ordered("target_label", "job", "replacement", job));
    j.put("relabel_configs", relabel);
    return j;
  }
}
