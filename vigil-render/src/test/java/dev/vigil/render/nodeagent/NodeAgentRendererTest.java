package dev.vigil.render.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderContext;
import dev.vigil.render.TestStations;
import dev.vigil.render.power.PowerRendererTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAgentRendererTest {
  private static final String NO_TIME = "time:\n  enabled: false\n";

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> targets(RenderContext ctx) {
    List<Map<String, Object>> jobs = new NodeAgentRenderer().scrapeJobs(ctx);
    assertThat(jobs)
        .singleElement()
        .satisfies(j -> assertThat(j.get("job_name")).isEqualTo("vigil-agent-host"));
    return (List<Map<String, Object>>) jobs.get(0).get("static_configs");
  }

  @Test
  void withTheTimeProbeEveryNodeIsScraped() {
    // The default station probes time on its three nodes: their clock metrics must be scraped even
    // without power management.
    RenderContext ctx = TestStations.context(TestStations.defaults());
    assertThat(ctx.isEnabled(NodeAgentRenderer.NAME)).isTrue();
    assertThat(targets(ctx)).hasSize(TestStations.defaults().nodes().size());
  }

  @Test
  void withPowerAloneTheControllerAndThePowerNodesAreScraped() {
    RenderContext ctx = TestStations.context(TestStations.with(PowerRendererTest.POWER, NO_TIME));
    List<Map<String, Object>> configs = targets(ctx);
    assertThat(configs)
        .extracting(c -> c.get("targets"))
        .containsExactly(List.of("192.168.4.63:9464"), List.of("192.168.4.161:9464"));
    assertThat(configs)
        .extracting(c -> c.get("labels"))
        .containsExactly(
            Map.of("node", "masternode", "instance", "masternode"),
            Map.of("node", "storagenodet3500", "instance", "storagenodet3500"));
  }

  @Test
  void withNeitherThereIsNothingToScrape() {
    assertThat(new NodeAgentRenderer().enabled(TestStations.with(NO_TIME))).isFalse();
  }

  @Test
  void ipv6AddressesAreBracketed() {
    assertThat(NodeAgentRenderer.hostPort("fd00::1", 9464)).isEqualTo("[fd00::1]:9464");
  }
}
