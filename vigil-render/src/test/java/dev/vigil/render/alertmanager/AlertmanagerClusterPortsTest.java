package dev.vigil.render.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gossip port is declared, published and admitted exactly when Alertmanager gossips: with more
 * than one replica. A single replica passes an empty --cluster.listen-address and nothing listens
 * on 9094.
 */
class AlertmanagerClusterPortsTest {
  private static List<Integer> containerPorts(Rendered r) {
    StatefulSet sts = r.one(StatefulSet.class, "alertmanager");
    return Rendered.container(sts.getSpec().getTemplate().getSpec().getContainers(), "alertmanager")
        .getPorts()
        .stream()
        .map(ContainerPort::getContainerPort)
        .toList();
  }

  private static List<Integer> admitted(Rendered r) {
    return r.one(NetworkPolicy.class, "alertmanager").getSpec().getIngress().stream()
        .flatMap(i -> i.getPorts().stream())
        .map(p -> p.getPort().getIntVal())
        .toList();
  }

  private static List<String> args(Rendered r) {
    StatefulSet sts = r.one(StatefulSet.class, "alertmanager");
    return Rendered.container(sts.getSpec().getTemplate().getSpec().getContainers(), "alertmanager")
        .getArgs();
  }

  @Test
  void aSingleReplicaDeclaresNoClusterPort() {
    Rendered r = Rendered.of(new AlertmanagerRenderer(), TestStations.defaults());
    assertThat(args(r))
        .contains("--cluster.listen-address=")
        .noneMatch(a -> a.startsWith("--cluster.peer="));
    assertThat(containerPorts(r)).containsExactly(AlertmanagerRenderer.PORT);
    assertThat(r.one(Service.class, "alertmanager-headless").getSpec().getPorts())
        .extracting(ServicePort::getPort)
        .containsExactly(AlertmanagerRenderer.PORT);
    assertThat(admitted(r)).doesNotContain(AlertmanagerRenderer.CLUSTER_PORT);
  }

  @Test
  void replicasGossipOnTheClusterPort() {
    Rendered r =
        Rendered.of(new AlertmanagerRenderer(), TestStations.with(TestStations.PRODUCTION));
    assertThat(args(r))
        .anyMatch(a -> a.startsWith("--cluster.peer=alertmanager-1.alertmanager-headless."));
    assertThat(containerPorts(r))
        .containsExactlyInAnyOrder(
            AlertmanagerRenderer.PORT,
            AlertmanagerRenderer.CLUSTER_PORT,
            AlertmanagerRenderer.CLUSTER_PORT);
    assertThat(r.one(Service.class, "alertmanager-headless").getSpec().getPorts())
        .extracting(ServicePort::getPort)
        .contains(AlertmanagerRenderer.CLUSTER_PORT);
    assertThat(admitted(r)).contains(AlertmanagerRenderer.CLUSTER_PORT);
  }
}
