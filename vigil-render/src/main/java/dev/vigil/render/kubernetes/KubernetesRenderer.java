package dev.vigil.render.kubernetes;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.spec.model.KubernetesSpec;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.model.WatchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's own components, as the stack watches them: the API server, the kubelets and their
 * cAdvisor, the scheduler, the controller manager, etcd and CoreDNS where the cluster exposes them,
 * and the Services that ask to be scraped by annotation. Vigil deploys none of them, so this
 * component renders no objects; it brings their scrape jobs and alert rules, and its contracts are
 * those of the Kubernetes versions the rules are written against. What the cluster exposes is the
 * spec's {@code components.kubernetes}; a part that is off has neither a job nor rules, so nothing
 * pages for a component Prometheus cannot reach.
 */
@AutoService(ComponentRenderer.class)
public final class KubernetesRenderer implements ComponentRenderer {
  public static final String NAME = "kubernetes";

  static final String SCHEDULER_RULES = "kube-scheduler.rules.yaml";
  static final String CONTROLLER_MANAGER_RULES = "kube-controller-manager.rules.yaml";
  static final String ETCD_RULES = "etcd.rules.yaml";
  static final String COREDNS_RULES = "coredns.rules.yaml";
  static final String CERT_MANAGER_RULES = "cert-manager.rules.yaml";

  static final Component COMPONENT =
      Component.named(NAME)
          .tags(Tag.MONITORING)
          .scrapeJobs(
              "apiserver",
              "kubelet",
              "cadvisor",
              "kubernetes-service-endpoints",
              "kubernetes-pods",
              "kube-scheduler",
              "kube-controller-manager",
              "etcd",
              "coredns",
              "cert-manager")
          .ruleFiles(
              "kube-apiserver.rules.yaml",
              "kubelet.rules.yaml",
              "kube-containers.rules.yaml",
              ExpectedTargets.FILE,
              SCHEDULER_RULES,
              CONTROLLER_MANAGER_RULES,
              ETCD_RULES,
              COREDNS_RULES,
              CERT_MANAGER_RULES)
          .dashboards(
              new ComputeCluster(),
              new ComputeNamespace(),
              new ComputeWorkload(),
              new ComputePod(),
              new ComputeNode(),
              new NetworkDashboards.Cluster(),
              new NetworkDashboards.Namespace(),
              new NetworkDashboards.Pod(),
              new PersistentVolumes(),
              new ApiServerDashboard(),
              new KubeletDashboard())
          .platformContracts(
              "kube-apiserver",
              "kubelet",
              "cadvisor",
              "kube-scheduler",
              "kube-controller-manager",
              "etcd",
              "coredns",
              "cert-manager")
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  /** Watched whenever there is a Prometheus to watch it. */
  @Override
  public boolean enabled(Station station) {
    return station.components().prometheus().enabled();
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    // Nothing to deploy: see the class comment.
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    KubernetesSpec spec = ctx.components().kubernetes();
    List<Map<String, Object>> jobs = new ArrayList<>();
    jobs.add(KubernetesJobs.apiserver());
    jobs.add(KubernetesJobs.kubelet("kubelet", "/metrics", spec.kubeletTls()));
    jobs.add(KubernetesJobs.kubelet("cadvisor", "/metrics/cadvisor", spec.kubeletTls()));
    if (spec.scheduler()) {
      jobs.add(KubernetesJobs.controlPlane("kube-scheduler", 10259, true));
    }
    if (spec.controllerManager()) {
      jobs.add(KubernetesJobs.controlPlane("kube-controller-manager", 10257, true));
    }
    if (spec.etcd()) {
      jobs.add(KubernetesJobs.controlPlane("etcd", 2381, false));
    }
    if (spec.coredns()) {
      jobs.add(KubernetesJobs.coredns());
    }
    if (certManager(ctx)) {
      jobs.add(KubernetesJobs.certManager(certManagerNamespace(ctx)));
    }
    List<WatchSpec.Namespace> watched = watched(ctx.station());
    // kubeadm annotates the kube-dns Service for scraping; the coredns job has it already.
    jobs.add(
        KubernetesJobs.annotatedEndpoints(
            spec.coredns() ? List.of("kube-system/kube-dns") : List.of(), watched));
    if (!watched.isEmpty()) {
      jobs.add(KubernetesJobs.annotatedPods(watched));
    }
    return jobs;
  }

  /** The spec's watched application namespaces, none when it names none. */
  public static List<WatchSpec.Namespace> watched(Station station) {
    return station.watch() == null ? List.of() : station.watch().namespaces();
  }

  /**
   * Whether cert-manager is scraped: where Vigil renders it, as the spec says, or where Vigil's
   * Ingresses take their certificates from it.
   */
  static boolean certManager(RenderContext ctx) {
    return renderedCertManager(ctx)
        || ctx.components()
            .kubernetes()
            .certManagerOn(ctx.station().profile(), ctx.station().exposure());
  }

  private static boolean renderedCertManager(RenderContext ctx) {
    return ctx.components().certManager().renderedFor(ctx.station().profile());
  }

  /**
   * The namespace of Vigil's cert-manager when it renders one, else the one its releases install
   * to.
   */
  private static String certManagerNamespace(RenderContext ctx) {
    return renderedCertManager(ctx) ? ctx.components().certManager().namespace() : "cert-manager";
  }

  /** The rule files of the parts the spec scrapes. */
  @Override
  public Map<String, String> ruleFiles(RenderContext ctx) {
    KubernetesSpec spec = ctx.components().kubernetes();
    Map<String, String> files = new TreeMap<>(ComponentRenderer.super.ruleFiles(ctx));
    if (!spec.scheduler()) {
      files.remove(SCHEDULER_RULES);
    }
    if (!spec.controllerManager()) {
      files.remove(CONTROLLER_MANAGER_RULES);
    }
    if (!spec.etcd()) {
      files.remove(ETCD_RULES);
    }
    if (!spec.coredns()) {
      files.remove(COREDNS_RULES);
    }
    if (!certManager(ctx)) {
      files.remove(CERT_MANAGER_RULES);
    }
    // Rendered from the station: the file shipped is the homelab example's rendering.
    String expected = ExpectedTargets.render(ctx);
    if (expected == null) {
      files.remove(ExpectedTargets.FILE);
    } else {
      files.put(ExpectedTargets.FILE, expected);
    }
    return files;
  }
}
