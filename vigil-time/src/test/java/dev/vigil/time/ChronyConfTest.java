package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChronyConfTest {
  static Station station(String timeSection) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: vigil.dev/v1",
            "kind: Station",
            "cluster:",
            "  name: vmstation",
            "nodes:",
            "  - name: masternode",
            "    address: 192.168.4.63",
            "    role: control-plane",
            "  - name: storagenodet3500",
            "    address: 192.168.4.61",
            "  - name: homelab",
            "    address: 192.168.4.62",
            timeSection,
            "");
    return SpecLoader.load(List.of(new Source("vigil.yaml", yaml))).orThrow();
  }

  static Node node(Station s, String name) {
    return s.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void controlPlaneFollowsTheDefaultUpstreamAndServesTheNodes() {
    Station s = station("");
    String conf =
        ChronyConf.forNode(s.time(), s.nodes(), node(s, "masternode"), ChronyConf.Options.DEFAULTS);
    assertThat(conf)
        .contains("server time.cloudflare.com iburst\n")
        .contains("pool 0.pool.ntp.org iburst maxsources 2\n")
        .contains("pool 3.pool.ntp.org iburst maxsources 2\n")
        .contains("makestep 1.0 3\n")
        .contains("rtcsync\n")
        .contains("allow 192.168.4.61\n")
        .contains("allow 192.168.4.62\n")
        .doesNotContain("allow 192.168.4.63")
        .contains("local stratum 10 orphan\n")
        .contains("bindcmdaddress 127.0.0.1\n")
        .doesNotContain("prefer");
  }

  @Test
  void workersPreferTheControlPlaneAndKeepUpstreamAsFallback() {
    Station s = station("");
    String conf =
        ChronyConf.forNode(s.time(), s.nodes(), node(s, "homelab"), ChronyConf.Options.DEFAULTS);
    assertThat(conf.indexOf("server 192.168.4.63 iburst prefer\n"))
        .isNotNegative()
        .isLessThan(conf.indexOf("server time.cloudflare.com iburst"));
    assertThat(conf)
        .contains("allow 192.168.4.63\n")
        .contains("allow 192.168.4.61\n")
        .doesNotContain("local stratum");
  }

  @Test
  void flatHierarchyAndConfiguredUpstream() {
    Station s =
        station(
            String.join(
                "\n",
                "time:",
                "  hierarchy: flat",
                "  upstream: [ntp.example.org, '10.0.0.1:1123', pool.ntp.org]"));
    String conf =
        ChronyConf.forNode(s.time(), s.nodes(), node(s, "homelab"), ChronyConf.Options.DEFAULTS);
    assertThat(conf)
        .doesNotContain("prefer")
        .contains("server ntp.example.org iburst\n")
        .contains("server 10.0.0.1 port 1123 iburst\n")
        .contains("pool pool.ntp.org iburst maxsources 2\n")
        .doesNotContain("cloudflare");
  }
}
