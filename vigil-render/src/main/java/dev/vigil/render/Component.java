package dev.vigil.render;

import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Datasource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything the rest of Vigil needs to know about one stack component, declared once, in its
 * renderer: the images it runs, the tags it is deployed under, the Grafana datasources it offers,
 * the scrape jobs, rule files and dashboards it brings, whether it keeps state, and what it needs
 * from the others. Image lists, reserved job names, the stateful set, the datasources Grafana
 * provisions and the docs tables are all derived from these declarations ({@link
 * ComponentRegistry}).
 */
public final class Component {
  /** What a component gathers from every other enabled component when it renders. */
  public enum Extension {
    /** The scrape jobs of the others (Prometheus). */
    SCRAPE_JOBS,
    /** The rule files of the others (Prometheus). */
    RULE_FILES,
    /** The dashboards of the others (Grafana). */
    DASHBOARDS,
    /** The datasources the others offer (Grafana). */
    DATASOURCES
  }

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private final String name;
  private final List<ImageRef> images;
  private final Set<Tag> tags;
  private final List<Datasource> datasources;
  private final Set<String> scrapeJobs;
  private final Set<String> ruleFiles;
  private final List<DashboardDefinition> catalog;
  private final Set<String> dashboards;
  private final boolean stateful;
  private final Set<String> dependsOn;
  private final Set<Extension> reads;
  private final Set<String> platformContracts;

  private Component(Builder b) {
    this.name = b.name;
    this.images = List.copyOf(b.images);
    this.tags = Collections.unmodifiableSet(EnumSet.copyOf(b.tags));
    this.datasources = List.copyOf(b.datasources);
    this.scrapeJobs = Collections.unmodifiableSet(new TreeSet<>(b.scrapeJobs));
    this.ruleFiles = Collections.unmodifiableSet(new TreeSet<>(b.ruleFiles));
    this.catalog = List.copyOf(b.catalog);
    Set<String> uids = new TreeSet<>(b.dashboardUids);
    b.catalog.forEach(d -> uids.add(d.uid()));
    this.dashboards = Collections.unmodifiableSet(uids);
    this.stateful = b.stateful;
    this.dependsOn = Collections.unmodifiableSet(new TreeSet<>(b.dependsOn));
    this.reads =
        b.reads.isEmpty()
            ? Collections.emptySet()
            : Collections.unmodifiableSet(EnumSet.copyOf(b.reads));
    this.platformContracts = Collections.unmodifiableSet(new TreeSet<>(b.platformContracts));
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Directory under the output root, app.kubernetes.io/name of its objects, its scrape job. */
  public String name() {
    return name;
  }

  /** The images it runs, the main one first. */
  public List<ImageRef> images() {
    return images;
  }

  /** The main image (the first), or null for a component that runs nothing in the cluster. */
  public ImageRef image() {
    return images.isEmpty() ? null : images.get(0);
  }

  /** The pinned reference of the image called {@code imageName}. */
  public String imageReference(String imageName) {
    return images.stream()
        .filter(i -> i.name().equals(imageName))
        .findFirst()
        .map(ImageRef::reference)
        .orElseThrow(
            () -> new IllegalArgumentException(name + " runs no image called " + imageName));
  }

  public Set<Tag> tags() {
    return tags;
  }

  /** Datasources it offers Grafana, by the fixed uids dashboards refer to. */
  public List<Datasource> datasources() {
    return datasources;
  }

  /**
   * Names of the Prometheus jobs that scrape it (reserved: a spec's extra targets may not use
   * them).
   */
  public Set<String> scrapeJobs() {
    return scrapeJobs;
  }

  /** Names of the rule files it brings ({@code <name>.rules.yaml}). */
  public Set<String> ruleFiles() {
    return ruleFiles;
  }

  /** Catalog dashboards it brings, built when their required components are enabled. */
  public List<DashboardDefinition> catalog() {
    return catalog;
  }

  /** Uids of every dashboard it can bring (catalog ones and ones it builds itself). */
  public Set<String> dashboards() {
    return dashboards;
  }

  /** Whether it keeps data that must survive a restart (a StatefulSet with a volume). */
  public boolean stateful() {
    return stateful;
  }

  /** Components whose Services it talks to at run time. */
  public Set<String> dependsOn() {
    return dependsOn;
  }

  /** What it gathers from the others when it renders. */
  public Set<Extension> reads() {
    return reads;
  }

  /**
   * Contracts of programs it depends on but does not pin (the Kubernetes components Vigil scrapes),
   * besides the contracts of its own images.
   */
  public Set<String> platformContracts() {
    return platformContracts;
  }

  @Override
  public String toString() {
    return "Component{"
        + name
        + ", images="
        + images
        + ", tags="
        + tags
        + ", jobs="
        + scrapeJobs
        + ", rules="
        + ruleFiles
        + ", dashboards="
        + dashboards
        + (stateful ? ", stateful" : "")
        + ", dependsOn="
        + dependsOn
        + ", reads="
        + reads
        + "}";
  }

  /** A component's declaration; checked when built. */
  public static final class Builder {
    private final String name;
    private final List<ImageRef> images = new ArrayList<>();
    private final Set<Tag> tags = EnumSet.noneOf(Tag.class);
    private final List<Datasource> datasources = new ArrayList<>();
    private final Set<String> scrapeJobs = new LinkedHashSet<>();
    private final Set<String> ruleFiles = new LinkedHashSet<>();
    private final List<DashboardDefinition> catalog = new ArrayList<>();
    private final Set<String> dashboardUids = new LinkedHashSet<>();
    private boolean stateful;
    private final Set<String> dependsOn = new LinkedHashSet<>();
    private final Set<Extension> reads = EnumSet.noneOf(Extension.class);
    private final Set<String> platformContracts = new LinkedHashSet<>();

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("component name must be kebab-case: " + name);
      }
      this.name = name;
    }

    public Builder image(String imageName, String reference) {
      ImageRef ref = new ImageRef(imageName, reference);
      if (images.stream().anyMatch(i -> i.name().equals(imageName))) {
        throw new IllegalArgumentException(name + ": image " + imageName + " declared twice");
      }
      images.add(ref);
      return this;
    }

    public Builder tags(Tag... t) {
      tags.addAll(List.of(t));
      return this;
    }

    public Builder offers(Datasource... d) {
      datasources.addAll(List.of(d));
      return this;
    }

    public Builder scrapeJobs(String... jobs) {
      scrapeJobs.addAll(List.of(jobs));
      return this;
    }

    public Builder ruleFiles(String... files) {
      for (String f : files) {
        if (!f.endsWith(".rules.yaml")) {
          throw new IllegalArgumentException(name + ": rule file names end in .rules.yaml: " + f);
        }
        ruleFiles.add(f);
      }
      return this;
    }

    public Builder dashboards(DashboardDefinition... d) {
      catalog.addAll(List.of(d));
      return this;
    }

    /** Dashboards the renderer builds itself (from the station), by uid. */
    public Builder dashboardUids(String... uids) {
      dashboardUids.addAll(List.of(uids));
      return this;
    }

    public Builder stateful() {
      this.stateful = true;
      return this;
    }

    public Builder dependsOn(String... components) {
      dependsOn.addAll(List.of(components));
      return this;
    }

    public Builder reads(Extension... e) {
      reads.addAll(List.of(e));
      return this;
    }

    public Builder platformContracts(String... names) {
      platformContracts.addAll(List.of(names));
      return this;
    }

    public Component build() {
      if (tags.isEmpty()) {
        throw new IllegalArgumentException(name + ": a component needs at least one tag");
      }
      if (dependsOn.contains(name)) {
        throw new IllegalArgumentException(name + " cannot depend on itself");
      }
      return new Component(this);
    }
  }
}
