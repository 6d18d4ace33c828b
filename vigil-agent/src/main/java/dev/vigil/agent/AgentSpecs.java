package dev.vigil.agent;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.syslog.SyslogSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the parts of vigil.yaml the agent runs, through the shared {@link SpecLoader}: the file
 * (or the embedded default station when there is none) with overlays merged over it.
 */
public final class AgentSpecs {
  private AgentSpecs() {}

  /** The agent's view of the spec, or the problems that kept it from loading. */
  public record Loaded(Station station, SyslogSpec syslog, String problems) {
    public boolean ok() {
      return problems == null;
    }
  }

  public static Loaded load(Path file, List<Path> overlays) {
    Bound<Station> b;
    try {
      b = SpecLoader.load(file, overlays);
    } catch (SpecLoader.SpecFileException e) {
      return new Loaded(null, null, "error: " + e.getMessage() + "\n");
    }
    if (!b.ok()) {
      return new Loaded(null, null, b.report());
    }
    SyslogSpec s = b.value().syslog();
    return new Loaded(b.value(), s == null ? SyslogSpec.defaults() : s, null);
  }
}
