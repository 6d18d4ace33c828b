package dev.vigil.render.snmp;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** Network devices polled over SNMP: which answer, their uptime, and their interfaces. */
public final class NetworkDevicesDashboard implements DashboardDefinition {
  public static final String UID = "network-devices";
  private static final String JOB = "job=\"" + SnmpExporterRenderer.DEVICE_JOB + "\"";

  /** Grafana's unit for bits per second (SI prefixes). */
  private static final String BITS_PER_SECOND = "bps";

  /** Interfaces someone described (ifAlias), administratively up, operationally down. */
  static final String WATCHED_DOWN =
      "(ifOperStatus{"
          + JOB
          + ", ifAlias!=\"\"} == 2) and on(job, instance, ifIndex) (ifAdminStatus{"
          + JOB
          + "} == 1)";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(SnmpExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    String legend = "{{device}} {{ifName}}";
    return Dashboard.builder(UID, "Network devices")
        .description(
            "Switches, routers and other devices polled over SNMP: whether they answer, how long"
                + " they have been up, and the traffic, errors and state of their interfaces.")
        .tags("network", "snmp")
        .row(
            "Status",
            Panel.stat("Devices answering")
                .target(prometheus("sum(up{" + JOB + "})"))
                .thresholds(Thresholds.base("blue")),
            Panel.stat("Devices not answering")
                .target(prometheus("count(up{" + JOB + "} == 0) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Described interfaces down")
                .description(
                    "Interfaces with a description (ifAlias) that are enabled but have no link:"
                        + " what SnmpInterfaceDown watches.")
                .target(prometheus("count(" + WATCHED_DOWN + ") or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground())
        .row(
            "Devices",
            Panel.table("Uptime")
                .description("Time since each device's SNMP agent started (sysUpTime).")
                .target(
                    prometheus("sysUpTime{" + JOB + "} / 100")
                        .legend("{{device}}")
                        .instantQuery()
                        .asTable())
                .unit(Units.DURATION)
                .width(12),
            Panel.table("Interfaces down")
                .description("Described interfaces that are enabled and have no link.")
                .target(
                    prometheus(WATCHED_DOWN)
                        .legend("{{device}} {{ifName}} {{ifAlias}}")
                        .instantQuery()
                        .asTable())
                .width(12))
        .row(
            "Interfaces",
            Panel.timeseries("Received")
                .description("The 20 busiest interfaces, in bits per second.")
                .target(
                    prometheus("topk(20, rate(ifHCInOctets{" + JOB + "}[$__rate_interval]) * 8)")
                        .legend(legend))
                .unit(BITS_PER_SECOND)
                .width(12),
            Panel.timeseries("Sent")
                .description("The 20 busiest interfaces, in bits per second.")
                .target(
                    prometheus("topk(20, rate(ifHCOutOctets{" + JOB + "}[$__rate_interval]) * 8)")
                        .legend(legend))
                .unit(BITS_PER_SECOND)
                .width(12),
            Panel.timeseries("Errors")
                .description("Inbound plus outbound errors per second, interfaces that have any.")
                .target(
                    prometheus(
                            "(rate(ifInErrors{"
                                + JOB
                                + "}[$__rate_interval]) + rate(ifOutErrors{"
                                + JOB
                                + "}[$__rate_interval])) > 0")
                        .legend(legend))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Utilisation")
                .description(
                    "The busier direction against the interface's speed (ifHighSpeed), the 20"
                        + " fullest.")
                .target(
                    prometheus(
                            "topk(20, max by (job, instance, device, ifIndex, ifName)"
                                + " (label_replace(rate(ifHCInOctets{"
                                + JOB
                                + "}[$__rate_interval]), \"direction\", \"in\", \"\", \"\") or"
                                + " label_replace(rate(ifHCOutOctets{"
                                + JOB
                                + "}[$__rate_interval]), \"direction\", \"out\", \"\", \"\"))"
                                + " * 8 / 1e6 / on(job, instance, device, ifIndex, ifName)"
                                + " max by (job, instance, device, ifIndex, ifName)"
                                + " (ifHighSpeed{"
                                + JOB
                                + "} > 0))")
                        .legend(legend))
                .unit(Units.PERCENT_UNIT)
                .width(12))
        .build();
  }
}
