package dev.vigil.render.kubernetes;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.spec.model.KubernetesSpec;
import dev.vigil.spec.model.Station;
import java.util.List;
import java.util.Map;

/**
 * The cluster's own components, as the stack watches them: the API server, the kubelets and their
 * cAdvisor, and the Services that ask to be scraped by annotation. Vigil deploys none of them, so
 * this component renders no objects; it brings their scrape jobs and alert rules, and its contracts
 * are those of the Kubernetes versions the rules are written against. What the cluster exposes is
 * the spec's {@code components.kubernetes}.
 */
@AutoService(ComponentRenderer.class)
public final class KubernetesRenderer implements ComponentRenderer {
  public static final String NAME = "kubernetes";

  static final Component COMPONENT =
      Component.named(NAME)
          .tags(Tag.MONITORING)
          .scrapeJobs("apiserver", "kubelet", "cadvisor", "kubernetes-service-endpoints")
          .ruleFiles("kube-apiserver.rules.yaml", "kubelet.rules.yaml")
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
    KubernetesSpec spec = ctx.components().kubernetes();
    return List.of(
        KubernetesJobs.apiserver(),
        KubernetesJobs.kubelet("kubelet", "/metrics", spec.kubeletTls()),
        KubernetesJobs.kubelet("cadvisor", "/metrics/cadvisor", spec.kubeletTls()),
        KubernetesJobs.annotatedEndpoints(List.of()));
  }
}
