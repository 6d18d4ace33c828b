package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Sample.Station;
import org.junit.jupiter.api.Test;

class ModelDocTest {
  @Test
  void documentsEveryTypeAndFieldFromTheAnnotations() {
    String md = ModelDoc.markdown(Station.class, 2);
    assertThat(md).isEqualTo(ModelDoc.markdown(Station.class, 2));
    assertThat(md)
        .startsWith(
            """
            ## Sample.Station

            A test station.

            | Field | Type | Default | Description |
            |---|---|---|---|
            | `apiVersion` | string | **required** | Schema version. |
            | `profile` | `homelab` \\| `production` | `homelab` | Deployment profile. |
            | `nodes` | list of [Sample.Machine](#samplemachine) |  | Cluster nodes. |
            | `components` | [Sample.Components](#samplecomponents) |  | Stack components. |
            | `labels` | map of name to string |  | Extra labels. |
            | `receivers` | map of name to [Sample.Receiver](#samplereceiver) |  | Alert receivers by name. |
            """);
    assertThat(md)
        .contains(
            """
            ## Sample.Machine

            A machine of the cluster.

            Used at: `nodes[]`
            """)
        .contains("Used at: `components.grafana.adminPassword`, `receivers.*.url`")
        .contains("| `scrapeInterval` | [duration](#value-types) | `30s` | Scrape interval. |")
        .contains("| `address` | [Sample.Ip](#value-types) | **required** | Address. |")
        .contains(
            "| duration | Prometheus duration: units y, w, d, h, m, s, ms, largest first (30s, 5m,"
                + " 1h30m, 7d) | `"
                + dev.vigil.base.DurationText.SCHEMA_PATTERN.replace("|", "\\|")
                + "` |")
        .contains("| Sample.Size | Byte size such as 10Gi. | `^[0-9]+(Ki\\|Mi\\|Gi\\|Ti)?$` |")
        .contains("| Sample.Ip | IP address. |  |");
    // Every record type appears once, in the order it is reached from the root.
    assertThat(md.indexOf("## Sample.Machine")).isLessThan(md.indexOf("## Sample.Components"));
    assertThat(md.split("## Sample.Secret\n", -1)).hasSize(2);
  }
}
