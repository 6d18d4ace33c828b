package dev.vigil.agent;

import dev.vigil.spec.bind.Binder;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.syslog.SyslogSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the parts of vigil.yaml the agent runs. The one place that knows how the spec is read, so
 * switching to the CLI's shared loader is a change here only.
 */
public final class AgentSpecs {
  /** The embedded default: every syslog setting at its documented default. */
  static final String EMBEDDED_SYSLOG = "enabled: true\n";

  private AgentSpecs() {}

  /** The agent's view of the spec, or the problems that kept it from binding. */
  public record Loaded(SyslogSpec syslog, String problems) {
    public boolean ok() {
      return problems == null;
    }
  }

  public static Loaded load(Path file, List<Path> overlays) {
    if (file == null) {
      Bound<SyslogSpec> b = Binder.bind(SyslogSpec.class, "<embedded default syslog spec>", EMBEDDED_SYSLOG);
      return b.ok() ? new Loaded(b.value(), null) : new Loaded(null, b.report());
    }
    List<Source> sources = new ArrayList<>();
    sources.add(Source.read(file));
    for (Path o : overlays) {
      sources.add(Source.read(o));
    }
    Bound<Station> b = Binder.bind(Station.class, sources);
    if (!b.ok()) {
      return new Loaded(null, b.report());
    }
    SyslogSpec s = b.value().syslog();
    return new Loaded(s == null ? SyslogSpec.defaults() : s, null);
  }
}
