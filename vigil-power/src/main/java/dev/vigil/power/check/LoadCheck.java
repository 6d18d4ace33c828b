package dev.vigil.power.check;

import java.nio.file.Files;
import java.nio.file.Path;

/** Active while the one-minute load average is above the threshold. */
public final class LoadCheck implements ActivityCheck {
  private final String name;
  private final double threshold;
  private final Path loadavg;

  public LoadCheck(String name, double threshold, Path loadavg) {
    if (!(threshold > 0)) {
      throw new IllegalArgumentException("load threshold must be above 0");
    }
    this.name = name;
    this.threshold = threshold;
    this.loadavg = loadavg;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() throws Exception {
    double load = Double.parseDouble(Files.readString(loadavg).trim().split("\\s+")[0]);
    String d = "load " + load + " (threshold " + threshold + ")";
    return load > threshold ? ActivityVerdict.active(d) : ActivityVerdict.idle(d);
  }
}
