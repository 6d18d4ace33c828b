package dev.vigil.render.ipmi;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Transformation;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.ValueMapping;
import java.util.Set;

/** Server hardware from the IPMI exporter: temperatures, fans, power, voltages, sensor states. */
public final class IpmiHardware implements DashboardDefinition {
  public static final String UID = "ipmi-hardware";

  /** Scrape job of the IPMI exporter's series. */
  private static final String IPMI = "job=\"ipmi-exporter\"";

  /** Green below 65 °C, yellow to 75 (where the alert fires), orange to 85, red above. */
  public static final Thresholds TEMPERATURE =
      Thresholds.base("green").from(65, "yellow").from(75, "orange").from(85, "red");

  /** Red below 1000 RPM (where the alert fires), yellow to 2000, green above. */
  public static final Thresholds FAN =
      Thresholds.base("red").from(1000, "yellow").from(2000, "green");

  /** Green below 200 W, yellow to 300 W, red above. */
  public static final Thresholds POWER =
      Thresholds.base("green").from(200, "yellow").from(300, "red");

  /**
   * Every sensor state the exporter reports, tagged with the sensor kind. Generic sensors carry
   * their IPMI type, which becomes the kind.
   */
  static final String SENSOR_STATES =
      "label_replace(ipmi_temperature_state{"
          + IPMI
          + "}, \"kind\", \"temperature\","
          + " \"\", \"\") or label_replace(ipmi_fan_speed_state{"
          + IPMI
          + "}, \"kind\","
          + " \"fan\", \"\", \"\") or label_replace(ipmi_voltage_state{"
          + IPMI
          + "},"
          + " \"kind\", \"voltage\", \"\", \"\") or"
          + " label_replace(ipmi_power_state{"
          + IPMI
          + "}, \"kind\", \"power\", \"\","
          + " \"\") or label_replace(ipmi_current_state{"
          + IPMI
          + "}, \"kind\","
          + " \"current\", \"\", \"\") or label_replace(ipmi_sensor_state{"
          + IPMI
          + "},"
          + " \"kind\", \"$1\", \"type\", \"(.+)\")";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(IpmiExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "IPMI hardware")
        .description("Temperatures, fans, power draw, voltages and sensor health from the BMC.")
        .tags("hardware", "ipmi")
        .row(
            "Status",
            Panel.stat("BMC status")
                .description("Whether every IPMI collector could read the BMC.")
                .target(
                    prometheus("min by (instance) (ipmi_up{" + IPMI + "})").legend("{{instance}}"))
                .mapping("1", "Online", "green")
                .mapping("0", "Offline", "red")
                .colorBackground(),
            Panel.stat("Hottest sensor")
                .target(
                    prometheus("max by (instance) (ipmi_temperature_celsius{" + IPMI + "})")
                        .legend("{{instance}}"))
                .unit(Units.CELSIUS)
                .thresholds(TEMPERATURE)
                .colorBackground(),
            Panel.stat("Current power draw")
                .target(
                    prometheus("ipmi_dcmi_power_consumption_watts{" + IPMI + "}")
                        .legend("{{instance}}"))
                .unit(Units.WATT)
                .thresholds(POWER)
                .colorBackground(),
            Panel.stat("Slowest fan")
                .target(
                    prometheus("min by (instance) (ipmi_fan_speed_rpm{" + IPMI + "})")
                        .legend("{{instance}}"))
                .unit(Units.RPM)
                .thresholds(FAN)
                .colorBackground(),
            Panel.stat("Sensors not nominal")
                .target(prometheus("count((" + SENSOR_STATES + ") > 0) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Chassis power")
                .target(prometheus("ipmi_chassis_power_state{" + IPMI + "}").legend("{{instance}}"))
                .mapping("1", "On", "green")
                .mapping("0", "Off", "red"))
        .row(
            "Temperatures",
            Panel.timeseries("Temperature sensors")
                .target(
                    prometheus("ipmi_temperature_celsius{" + IPMI + "}")
                        .legend("{{instance}} {{name}}"))
                .unit(Units.CELSIUS)
                .thresholds(TEMPERATURE)
                .showThresholds()
                .width(16),
            Panel.gauge("Current temperatures")
                .target(
                    prometheus("ipmi_temperature_celsius{" + IPMI + "}")
                        .legend("{{name}}")
                        .instantQuery())
                .unit(Units.CELSIUS)
                .range(0, 100)
                .thresholds(TEMPERATURE)
                .size(8, 8))
        .row(
            "Fans and power",
            Panel.timeseries("Fan speeds")
                .target(
                    prometheus("ipmi_fan_speed_rpm{" + IPMI + "}").legend("{{instance}} {{name}}"))
                .unit(Units.RPM)
                .thresholds(FAN)
                .showThresholds()
                .width(8),
            Panel.barGauge("Current fan speeds")
                .target(
                    prometheus("ipmi_fan_speed_rpm{" + IPMI + "}")
                        .legend("{{name}}")
                        .instantQuery())
                .unit(Units.RPM)
                .min(0)
                .thresholds(FAN),
            Panel.timeseries("Power consumption")
                .description(
                    "DCMI power reading, the exporter's recommended source, and any power sensors.")
                .targets(
                    prometheus("ipmi_dcmi_power_consumption_watts{" + IPMI + "}")
                        .legend("{{instance}} DCMI"),
                    prometheus("ipmi_power_watts{" + IPMI + "}").legend("{{instance}} {{name}}"))
                .unit(Units.WATT)
                .thresholds(POWER)
                .showThresholds()
                .width(8))
        .row(
            "Voltages",
            Panel.timeseries("Voltage sensors")
                .target(
                    prometheus("ipmi_voltage_volts{" + IPMI + "}").legend("{{instance}} {{name}}"))
                .unit(Units.VOLT)
                .legendTable("lastNotNull", "min", "max")
                .width(24))
        .row("Sensors", sensorTable())
        .build();
  }

  private static Panel.Builder sensorTable() {
    return Panel.table("Sensor status")
        .target(prometheus(SENSOR_STATES).asTable())
        .transform(
            Transformation.organize()
                .hide("Time", "__name__", "job", "type")
                .order("instance", "kind", "name", "id", "Value")
                .rename("instance", "Instance")
                .rename("kind", "Kind")
                .rename("name", "Sensor")
                .rename("id", "ID")
                .rename("Value", "State")
                .build())
        .override(
            FieldOverride.byName("State")
                .mappings(
                    ValueMapping.of("0", "Nominal", "green"),
                    ValueMapping.of("1", "Warning", "yellow"),
                    ValueMapping.of("2", "Critical", "red"))
                .colorBackground())
        .sortBy("State", true)
        .height(10);
  }
}
