package dev.vigil.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.KubeSchema;
import org.junit.jupiter.api.Test;

/**
 * The removal table against the shipped object model: every removed version was a real version of
 * its kind, and every replacement is one the model (Kubernetes 1.34) serves for the same kind.
 */
class ApiVersionsTest {
  @Test
  void removedVersionsExistedAndReplacementsAreServed() {
    KubeSchema schema = KubeSchema.builtIn();
    for (ApiVersions.Removal r : ApiVersions.REMOVALS) {
      assertThat(r.deprecated()).as(r.toString()).isLessThan(r.removed());
      if (!r.kind().equals("PodSecurityPolicy")) {
        assertThat(schema.root(r.replacement(), r.kind())).as("replacement of %s", r).isNotNull();
      }
    }
    // The model keeps the old versions of the kinds a manifest most often carries.
    for (String[] old :
        new String[][] {
          {"policy/v1beta1", "PodDisruptionBudget"},
          {"autoscaling/v2beta2", "HorizontalPodAutoscaler"},
          {"batch/v1beta1", "CronJob"},
          {"extensions/v1beta1", "Ingress"},
          {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"}
        }) {
      assertThat(schema.root(old[0], old[1])).as(old[0] + " " + old[1]).isNotNull();
      assertThat(ApiVersions.find(old[0], old[1])).as(old[0] + " " + old[1]).isNotNull();
    }
  }

  @Test
  void removalsFollowTheMigrationGuide() {
    assertThat(ApiVersions.find("policy/v1beta1", "PodDisruptionBudget").removed()).isEqualTo(25);
    assertThat(ApiVersions.find("autoscaling/v2beta2", "HorizontalPodAutoscaler").removed())
        .isEqualTo(26);
    assertThat(
            ApiVersions.find("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration")
                .removed())
        .isEqualTo(32);
    assertThat(ApiVersions.find("networking.k8s.io/v1beta1", "Ingress").removed()).isEqualTo(22);
    assertThat(ApiVersions.find("apps/v1", "Deployment")).isNull();
  }
}
