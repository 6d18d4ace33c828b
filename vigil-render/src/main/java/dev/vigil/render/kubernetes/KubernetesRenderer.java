package dev.vigil.render.kubernetes;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.model.WatchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster's own components, as the stack watches them: the API server, the kubelets and their
 * cAdvisor, and the Services that ask to be scraped by annotation. Vigil deploys none of them, so
 * this component renders no objects; it brings their scrape jobs and alert rules, and its contracts
 * are those of the Kubernetes versions the rules are written against.
 */
@AutoService(ComponentRenderer.class)
public final class KubernetesRenderer implements ComponentRenderer {
  public static final String NAME = "kubernetes";

  static final Component COMPONENT =
      Component.named(NAME)
          .tags(Tag.MONITORING)
          .scrapeJobs("apiserver", "kubelet", "cadvisor", "kubernetes-service-endpoints", "kubernetes-pods")
          .ruleFiles("kubelet.rules.yaml")
          .platformContracts("kube-apiserver", "kubelet", "cadvisor")
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
    boolean verifyKubeletTls = ctx.production();
    List<WatchSpec.Namespace> watched = watched(ctx.station());
    List<Map<String, Object>> jobs = new ArrayList<>(List.of(
        ScrapeJobs.apiserver(),
        ScrapeJobs.kubelet("kubelet", "/metrics", verifyKubeletTls),
        ScrapeJobs.kubelet("cadvisor", "/metrics/cadvisor", verifyKubeletTls),
        ScrapeJobs.annotatedEndpoints(watched)));
    if (!watched.isEmpty()) {
      jobs.add(ScrapeJobs.annotatedPods(watched));
    }
    return jobs;
  }

  /** The spec's watched application namespaces, none when it names none. */
  public static List<WatchSpec.Namespace> watched(Station station) {
    return station.watch() == null ? List.of() : station.watch().namespaces();
  }
}
