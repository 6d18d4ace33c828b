package dev.vigil.render.ingressnginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.Rendered;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.ImageContract;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IngressNginxRendererTest {
  private static Rendered production(String... more) {
    String[] all = new String[more.length + 1];
    all[0] = TestStations.PRODUCTION;
    System.arraycopy(more, 0, all, 1, more.length);
    return Rendered.of(new IngressNginxRenderer(), TestStations.with(all));
  }

  @Test
  void onInProductionOffInHomelabAndSwitchedOffForAnExistingController() {
    assertThat(new IngressNginxRenderer().enabled(TestStations.defaults())).isFalse();
    assertThat(new IngressNginxRenderer().enabled(TestStations.with(TestStations.PRODUCTION)))
        .isTrue();
    assertThat(
            new IngressNginxRenderer()
                .enabled(
                    TestStations.with(
                        TestStations.PRODUCTION,
                        "components:\n  ingressNginx: {enabled: false}\n")))
        .isFalse();
    assertThat(
            new StackRenderer()
                .render(TestStations.with(TestStations.PRODUCTION))
                .components()
                .get("ingress-nginx")
                .notes())
        .anySatisfy(n -> assertThat(n).contains("ingress-nginx", "retired"));
  }

  @Test
  void theClassAndNamespaceAreTheOnesTheIngressesAndNetworkPoliciesName() {
    Rendered r = production("exposure:\n  ingress: {controllerNamespace: edge-system}\n");
    assertThat(r.one(IngressClass.class, "nginx").getSpec().getController())
        .isEqualTo("k8s.io/ingress-nginx");
    assertThat(r.one(Namespace.class, "edge-system").getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    Deployment d = r.one(Deployment.class, "ingress-nginx");
    assertThat(d.getMetadata().getNamespace()).isEqualTo("edge-system");
    assertThat(
            Rendered.container(d.getSpec().getTemplate().getSpec().getContainers(), "controller")
                .getArgs())
        .contains("--ingress-class=nginx", "--controller-class=k8s.io/ingress-nginx");
    // The stack's exposed components admit their web port from that namespace.
    var grafanaPolicy =
        Rendered.of(
                new dev.vigil.render.grafana.GrafanaRenderer(),
                TestStations.with(
                    TestStations.PRODUCTION,
                    "exposure:\n  ingress: {controllerNamespace: edge-system}\n"))
            .one(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, "grafana");
    assertThat(grafanaPolicy.getSpec().getIngress())
        .anySatisfy(
            rule ->
                assertThat(rule.getFrom())
                    .anySatisfy(
                        p ->
                            assertThat(p.getNamespaceSelector().getMatchLabels())
                                .containsEntry("kubernetes.io/metadata.name", "edge-system")));
  }

  /** No capability and a read-only root: unprivileged ports, and every written path a volume. */
  @Test
  void runsWithoutCapabilitiesOnAReadOnlyRoot() {
    Deployment d = production().one(Deployment.class, "ingress-nginx");
    var pod = d.getSpec().getTemplate().getSpec();
    Container c = Rendered.container(pod.getContainers(), "controller");
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getArgs()).contains("--http-port=8080", "--https-port=8443");
    assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getContainerPort()).isGreaterThan(1024));
    ImageContract contract = Contracts.load().byName("ingress-nginx").orElseThrow();
    for (ImageContract.Write w : contract.writes()) {
      assertThat(c.getVolumeMounts())
          .as(w.path())
          .anySatisfy(m -> assertThat(w.rendered()).isEqualTo(m.getMountPath()));
    }
    // The seed copies the image's /etc/nginx into the volume the controller then owns.
    Container seed = Rendered.container(pod.getInitContainers(), "copy-nginx-config");
    assertThat(seed.getCommand()).containsExactly("/bin/cp", "-a", "/etc/nginx/.", "/seed/");
    Service svc = production().one(Service.class, "ingress-nginx");
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(svc.getSpec().getPorts())
        .extracting(p -> p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("80->http", "443->https");
  }

  @Test
  void autoscalesBetweenTheSpecsBounds() {
    HorizontalPodAutoscaler hpa =
        production("components:\n  ingressNginx: {minReplicas: 2, maxReplicas: 6}\n")
            .one(HorizontalPodAutoscaler.class, "ingress-nginx");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
        .isEqualTo(70);
  }

  @Test
  void everyConfigKeyIsOneThePinnedVersionReads() {
    Set<String> known = new TreeSet<>();
    Contracts.load()
        .byName("ingress-nginx")
        .orElseThrow()
        .configKeys()
        .forEach(k -> known.add(k.path()));
    assertThat(known).containsAll(IngressNginxRenderer.config().keySet());
  }
}
