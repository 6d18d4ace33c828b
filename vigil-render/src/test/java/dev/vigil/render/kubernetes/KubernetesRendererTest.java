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

  /** Whether the job's metric_relabel_configs keep a series, as Prometheus applies them. */
  @SuppressWarnings("unchecked")
  static boolean kept(Map<String, Object> job, Map<String, String> labels) {
    for (Map<String, Object> r : (List<Map<String, Object>>) job.getOrDefault("metric_relabel_configs", List.of())) {
      List<String> sources = (List<String>) r.get("source_labels");
      String value = String.join(";", sources.stream().map(l -> labels.getOrDefault(l, "")).toList());
      // Relabelling regexes are anchored at both ends.
      boolean match = value.matches((String) r.get("regex"));
      if ("drop".equals(r.get("action")) && match) {
        return false;
      }
      if ("keep".equals(r.get("action")) && !match) {
        return false;
      }
    }
    return true;
  }

  /**
   * The latency SLO needs the SLI histogram's buckets at 1, 5 and 30 s (and +Inf); Prometheus 3
   * stores le as "1.0". Every other bucket of it, and the whole STABLE duration histogram, is
   * dropped at scrape time.
   */
  @Test
  void theApiserverKeepsTheLatencyBucketsTheSloReads() {
    Map<String, Object> j = job(TestStations.defaults(), "apiserver");
    String sli = "apiserver_request_sli_duration_seconds_bucket";
    for (String le : List.of("0.1", "0.4", "1", "1.0", "5", "5.0", "30", "30.0", "+Inf")) {
      assertThat(kept(j, Map.of("__name__", sli, "le", le))).as("le=" + le).isTrue();
    }
    for (String le : List.of("0.05", "0.2", "0.6", "1.25", "2", "2.0", "10", "10.0", "60", "60.0")) {
      assertThat(kept(j, Map.of("__name__", sli, "le", le))).as("le=" + le).isFalse();
    }
    assertThat(kept(j, Map.of("__name__", "apiserver_request_sli_duration_seconds_count"))).isTrue();
    assertThat(kept(j, Map.of("__name__", "apiserver_request_total"))).isTrue();
    assertThat(kept(j, Map.of("__name__", "apiserver_client_certificate_expiration_seconds_bucket", "le", "86400"))).isTrue();
    assertThat(kept(j, Map.of("__name__", "apiserver_request_duration_seconds_bucket", "le", "1"))).isFalse();
  }
}
