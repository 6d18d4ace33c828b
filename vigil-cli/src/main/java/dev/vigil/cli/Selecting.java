package dev.vigil.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --only}, {@code --tags} and {@code --no-deps}: which components a deploy touches. */
public final class Selecting {
  @Option(
      names = "--only",
      split = ",",
      paramLabel = "COMPONENT",
      description = "Only these components (comma-separated; `vigil components` lists them).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--tags",
      split = ",",
      paramLabel = "TAG",
      description =
          "Only components carrying one of these tags: monitoring, logging, tracing, time, syslog, identity,"
              + " power, infrastructure.")
  List<String> tags = new ArrayList<>();

  @Option(
      names = "--no-deps",
      description =
          "Do not also apply what the selected components need (the Services they talk to, the"
              + " datasources Grafana queries); they are then named and must already run.")
  boolean noDeps;

  Set<String> only() {
    return new LinkedHashSet<>(only.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  Set<String> tags() {
    return new LinkedHashSet<>(tags.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
  }
}
