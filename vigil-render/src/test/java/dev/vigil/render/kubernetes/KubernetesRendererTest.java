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
    return new KubernetesRenderer()
        .scrapeJobs(TestStations.context(s)).stream()
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
        assertThat(j.get("authorization"))
            .isEqualTo(Map.of("credentials_file", KubernetesJobs.SA_DIR + "/token"));
        assertThat(j.get("tls_config"))
            .as(s.profile() + " " + name)
            .isEqualTo(Map.of("insecure_skip_verify", true));
      }
    }
  }

  @Test
  void verifyChecksTheKubeletsAgainstTheClusterCa() {
    Station s = TestStations.with("components:\n  kubernetes:\n    kubeletTls: verify\n");
    for (String name : List.of("kubelet", "cadvisor")) {
      assertThat(job(s, name).get("tls_config"))
          .isEqualTo(Map.of("ca_file", KubernetesJobs.SA_DIR + "/ca.crt"));
    }
    // The API server's certificate is always signed by the cluster CA.
    assertThat(job(s, "apiserver").get("tls_config"))
        .isEqualTo(Map.of("ca_file", KubernetesJobs.SA_DIR + "/ca.crt"));
  }

  /** Whether the job's metric_relabel_configs keep a series, as Prometheus applies them. */
  @SuppressWarnings("unchecked")
  static boolean kept(Map<String, Object> job, Map<String, String> labels) {
    for (Map<String, Object> r :
        (List<Map<String, Object>>) job.getOrDefault("metric_relabel_configs", List.of())) {
      List<String> sources = (List<String>) r.get("source_labels");
      String value =
          String.join(";", sources.stream().map(l -> labels.getOrDefault(l, "")).toList());
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
    for (String le :
        List.of("0.05", "0.2", "0.6", "1.25", "2", "2.0", "10", "10.0", "60", "60.0")) {
      assertThat(kept(j, Map.of("__name__", sli, "le", le))).as("le=" + le).isFalse();
    }
    assertThat(kept(j, Map.of("__name__", "apiserver_request_sli_duration_seconds_count")))
        .isTrue();
    assertThat(kept(j, Map.of("__name__", "apiserver_request_total"))).isTrue();
    assertThat(
            kept(
                j,
                Map.of(
                    "__name__",
                    "apiserver_client_certificate_expiration_seconds_bucket",
                    "le",
                    "86400")))
        .isTrue();
    assertThat(kept(j, Map.of("__name__", "apiserver_request_duration_seconds_bucket", "le", "1")))
        .isFalse();
  }

  static java.util.Set<String> jobNames(Station s) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    new KubernetesRenderer()
        .scrapeJobs(TestStations.context(s))
        .forEach(j -> names.add((String) j.get("job_name")));
    return names;
  }

  /**
   * kubeadm, k3s and RKE2 bind the scheduler, the controller manager and etcd's metrics to
   * 127.0.0.1: off by default, with neither a job nor rules, so they cannot page. CoreDNS is
   * reachable everywhere and on by default.
   */
  @Test
  void controlPlanePartsAreScrapedAndAlertedOnlyWhenSwitchedOn() {
    Station defaults = TestStations.defaults();
    assertThat(jobNames(defaults))
        .contains("coredns")
        .doesNotContain("kube-scheduler", "kube-controller-manager", "etcd");
    assertThat(new KubernetesRenderer().ruleFiles(TestStations.context(defaults)).keySet())
        .contains("coredns.rules.yaml")
        .doesNotContain(
            "kube-scheduler.rules.yaml", "kube-controller-manager.rules.yaml", "etcd.rules.yaml");

    Station all =
        TestStations.with(
            TestStations.EVERY_CLUSTER_PART, "components:\n  kubernetes:\n    coredns: false\n");
    assertThat(jobNames(all))
        .contains("kube-scheduler", "kube-controller-manager", "etcd")
        .doesNotContain("coredns");
    assertThat(new KubernetesRenderer().ruleFiles(TestStations.context(all)).keySet())
        .contains(
            "kube-scheduler.rules.yaml", "kube-controller-manager.rules.yaml", "etcd.rules.yaml")
        .doesNotContain("coredns.rules.yaml");
  }

  /** The control-plane nodes, at their address with the component's port. */
  @Test
  @SuppressWarnings("unchecked")
  void controlPlaneJobsTargetTheControlPlaneNodes() {
    Station all = TestStations.with(TestStations.EVERY_CLUSTER_PART);
    Map<String, Object> scheduler = job(all, "kube-scheduler");
    assertThat(scheduler)
        .containsEntry("scheme", "https")
        .containsEntry("tls_config", Map.of("insecure_skip_verify", true));
    List<Map<String, Object>> relabel =
        (List<Map<String, Object>>) scheduler.get("relabel_configs");
    assertThat(relabel.get(0))
        .containsEntry("action", "keep")
        .containsEntry(
            "source_labels",
            List.of("__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane"));
    String regex = (String) relabel.get(1).get("regex");
    assertThat("192.168.4.63:10250".replaceAll(regex, (String) relabel.get(1).get("replacement")))
        .isEqualTo("192.168.4.63:10259");
    assertThat("[fd00::63]:10250".replaceAll(regex, (String) relabel.get(1).get("replacement")))
        .isEqualTo("[fd00::63]:10259");
    Map<String, Object> etcd = job(all, "etcd");
    assertThat(etcd).doesNotContainKeys("scheme", "authorization");
    assertThat(((List<Map<String, Object>>) etcd.get("relabel_configs")).get(1))
        .containsEntry("replacement", "$1:2381");
    assertThat(
            ((List<Map<String, Object>>) job(all, "kube-controller-manager").get("relabel_configs"))
                .get(1))
        .containsEntry("replacement", "$1:10257");
  }

  /** kubeadm annotates kube-dns for scraping; with the coredns job on it is not scraped twice. */
  @Test
  @SuppressWarnings("unchecked")
  void theAnnotationJobLeavesCoreDnsToItsOwnJob() {
    List<Map<String, Object>> on =
        (List<Map<String, Object>>)
            job(TestStations.defaults(), "kubernetes-service-endpoints").get("relabel_configs");
    assertThat(on)
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsEntry("regex", "kube-system;kube-dns")
                    .containsEntry("action", "drop"));
    Station off = TestStations.with("components:\n  kubernetes:\n    coredns: false\n");
    List<Map<String, Object>> without =
        (List<Map<String, Object>>) job(off, "kubernetes-service-endpoints").get("relabel_configs");
    assertThat(without).noneSatisfy(r -> assertThat(r).containsEntry("action", "drop"));
  }

  /**
   * Every family of the kubelet and cAdvisor jobs that a rendered rule or dashboard reads is kept
   * by the job's metric_relabel_configs: a drop list that grows must not blind a rule.
   */
  @Test
  void theKubeletJobsKeepEveryFamilyTheRulesAndDashboardsRead() {
    Station all = TestStations.with(TestStations.EVERY_CLUSTER_PART);
    dev.vigil.render.RenderedStack stack = new dev.vigil.render.StackRenderer().render(all);
    List<String> texts = new java.util.ArrayList<>(stack.contributions().allRuleFiles().values());
    stack.contributions().allDashboards().forEach(d -> texts.add(d.toJson()));
    java.util.regex.Pattern family =
        java.util.regex.Pattern.compile(
            "\\b((container|machine|kubelet|storage|rest_client)_[a-z0-9_]+)");
    java.util.Set<String> read = new java.util.TreeSet<>();
    texts.forEach(t -> family.matcher(t).results().forEach(m -> read.add(m.group(1))));
    assertThat(read)
        .contains(
            "container_cpu_usage_seconds_total",
            "container_oom_events_total",
            "kubelet_volume_stats_available_bytes");
    for (String name : read) {
      for (String job : List.of("kubelet", "cadvisor")) {
        assertThat(kept(job(all, job), Map.of("__name__", name)))
            .as(job + " keeps " + name)
            .isTrue();
      }
    }
    assertThat(job(all, "cadvisor")).containsEntry("honor_timestamps", false);
    assertThat(kept(job(all, "cadvisor"), Map.of("__name__", "container_tasks_state"))).isFalse();
  }

  /**
   * cert-manager issues the production profile's Ingress certificates, so it is watched there by
   * default, and nowhere else unless asked for; a cert-manager Vigil renders is always watched. Its
   * certificate series carry the Certificate's own namespace: its labels win, and the target adds
   * no namespace.
   */
  @Test
  @SuppressWarnings("unchecked")
  void certManagerIsWatchedWhereVigilsIngressesUseIt() {
    assertThat(jobNames(production())).contains("cert-manager");
    assertThat(new KubernetesRenderer().ruleFiles(TestStations.context(production())).keySet())
        .contains("cert-manager.rules.yaml");
    assertThat(jobNames(TestStations.defaults())).doesNotContain("cert-manager");
    assertThat(
            new KubernetesRenderer()
                .ruleFiles(TestStations.context(TestStations.defaults()))
                .keySet())
        .doesNotContain("cert-manager.rules.yaml");
    Station off =
        SpecLoader.load(
                List.of(
                    new dev.vigil.spec.bind.Source(
                        "production.yaml", read("examples/production/vigil.yaml")),
                    new dev.vigil.spec.bind.Source(
                        "off.yaml",
                        "components:\n  kubernetes:\n    certManager: false\n  certManager: {enabled: false}\n")))
            .orThrow();
    assertThat(jobNames(off)).doesNotContain("cert-manager");
    Station rendered =
        SpecLoader.load(
                List.of(
                    new dev.vigil.spec.bind.Source(
                        "production.yaml", read("examples/production/vigil.yaml")),
                    new dev.vigil.spec.bind.Source(
                        "off.yaml", "components:\n  kubernetes:\n    certManager: false\n")))
            .orThrow();
    assertThat(jobNames(rendered)).as("Vigil's own cert-manager").contains("cert-manager");
    Map<String, Object> j = job(production(), "cert-manager");
    assertThat(j).containsEntry("honor_labels", true);
    assertThat((List<Map<String, Object>>) j.get("relabel_configs"))
        .extracting(r -> r.get("target_label"))
        .doesNotContain("namespace", "node");
  }

  private static String read(String path) {
    try {
      return java.nio.file.Files.readString(Repo.resolve(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
