package dev.vigil.render.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PostgresExporterRendererTest {
  static final String TWO_SERVERS =
      "integrations:\n  postgres:\n"
          + "    - {name: odoo-db, dsn: {secret: {name: odoo-db-monitoring, key: dsn}}}\n"
          + "    - {name: keycloak-db, port: 6432, dsn: {secret: {name: keycloak-db-monitoring, key: url}}}\n";

  private static List<HasMetadata> objects(RenderedStack stack) {
    return stack.components().get(PostgresExporterRenderer.NAME).objects();
  }

  @Test
  void offWithoutServers() {
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey(PostgresExporterRenderer.NAME);
  }

  @Test
  void oneExporterPerServerWithItsDsnFromItsSecretOnly() {
    List<HasMetadata> objects = objects(new StackRenderer().render(TestStations.with(TWO_SERVERS)));
    List<Deployment> deployments =
        objects.stream().filter(o -> o instanceof Deployment).map(o -> (Deployment) o).toList();
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("postgres-exporter-odoo-db", "postgres-exporter-keycloak-db");
    Deployment keycloak = deployments.get(1);
    assertThat(keycloak.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("vigil.dev/instance", "keycloak-db");
    var c = keycloak.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("quay.io/prometheuscommunity/postgres-exporter:v0.20.1");
    assertThat(c.getEnv())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("keycloak-db-monitoring");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
            });
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(keycloak.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .isFalse();
    // The DSN never lands in a ConfigMap or an argument.
    assertThat(Yaml.write(objects)).doesNotContain("postgresql://");
  }

  @Test
  void eachExporterReachesOnlyDnsAndItsServersPort() {
    List<HasMetadata> objects = objects(new StackRenderer().render(TestStations.with(TWO_SERVERS)));
    NetworkPolicy keycloak =
        objects.stream()
            .filter(
                o ->
                    o instanceof NetworkPolicy
                        && o.getMetadata().getName().equals("postgres-exporter-keycloak-db"))
            .map(o -> (NetworkPolicy) o)
            .findFirst()
            .orElseThrow();
    TreeSet<Integer> egress = new TreeSet<>();
    keycloak
        .getSpec()
        .getEgress()
        .forEach(r -> r.getPorts().forEach(p -> egress.add(p.getPort().getIntVal())));
    assertThat(egress).containsExactly(53, 6432);
    assertThat(keycloak.getSpec().getIngress())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(9187));
  }

  @Test
  void oneScrapeJobWhoseInstanceIsTheServersName() {
    List<Map<String, Object>> jobs =
        new StackRenderer()
            .render(TestStations.with(TWO_SERVERS))
            .contributions()
            .scrapeJobs()
            .get(PostgresExporterRenderer.NAME);
    assertThat(jobs)
        .singleElement()
        .satisfies(
            j ->
                assertThat(Yaml.write(j))
                    .contains(
                        "job_name: postgres",
                        "__meta_kubernetes_pod_label_vigil_dev_instance",
                        "target_label: instance",
                        "app.kubernetes.io/component=postgres-metrics"));
  }

  @Test
  void badServersAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nintegrations:\n  postgres:\n"
            + "    - {name: Odoo_DB, dsn: {secret: {name: s, key: k}}}\n"
            + "    - {name: a, dsn: {secret: {name: s, key: k}}}\n"
            + "    - {name: a, port: 70000, dsn: {env: PG_DSN}}\n";
    var bound = SpecLoader.load(List.of(new Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:6:")
                    .contains("postgres[0].name")
                    .contains("lower-case"))
        .anySatisfy(
            p -> assertThat(p).contains("postgres[2].name").contains("duplicate postgres name"))
        .anySatisfy(p -> assertThat(p).contains("postgres[2].dsn").contains("Kubernetes Secret"))
        .anySatisfy(p -> assertThat(p).contains("postgres[2].port").contains("1-65535"));
  }
}
