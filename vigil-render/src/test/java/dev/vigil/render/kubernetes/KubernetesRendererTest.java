package dev.vigil.render.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.TestStations;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesRendererTest {
  static Map<String, Object> job(Station s, String name) {
    return new KubernetesRenderer().scrapeJobs(TestStations.context(s)).stream()
        .filter(j -> name.equals(j.get("job_name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no scrape job " + name));
  }

  static Station production() {
    return SpecLoader.load(Repo.resolve("examples/production/vigil.yaml"), List.of()).orThrow();
  }

  /**
   * kubeadm's kubelet serving certificates are self-signed: verifying them against the cluster CA
   * fails every scrape with an x509 error, and KubeletDown pages on every production cluster.
   */
  @Test
  void kubeletAndCadvisorSkipCertificateVerificationByDefaultInEveryProfile() {
    for (Station s : List.of(TestStations.defaults(), production())) {
      for (String name : List.of("kubelet", "cadvisor")) {
        Map<String, Object> j = job(s, name);
        assertThat(j).containsEntry("scheme", "https");
        assertThat(j.get("authorization")).isEqualTo(Map.of("credentials_file", KubernetesJobs.SA_DIR + "/token"));
        assertThat(j.get("tls_config")).as(s.profile() + " " + name).isEqualTo(Map.of("insecure_skip_verify", true));
      }
    }
  }

  @Test
  void verifyChecksTheKubeletsAgainstTheClusterCa() {
    Station s = TestStations.with("components:\n  kubernetes:\n    kubeletTls: verify\n");
    for (String name : List.of("kubelet", "cadvisor")) {
      assertThat(job(s, name).get("tls_config")).isEqualTo(Map.of("ca_file", KubernetesJobs.SA_DIR + "/ca.crt"));
    }
    // The API server's certificate is always signed by the cluster CA.
    assertThat(job(s, "apiserver").get("tls_config")).isEqualTo(Map.of("ca_file", KubernetesJobs.SA_DIR + "/ca.crt"));
  }
}
