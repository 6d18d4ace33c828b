package dev.vigil.render.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.ImageRef;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ContractsTest {

  private final Contracts contracts = Contracts.load();

  @Test
  void everyContractFileOfTheDirectoryIsLoaded() throws IOException, URISyntaxException {
    Path dir =
        Path.of(
            Objects.requireNonNull(getClass().getClassLoader().getResource(Contracts.DIR)).toURI());
    Set<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") && !n.equals(Contracts.INDEX))
              .map(n -> n.substring(0, n.length() - ".yaml".length()))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> indexed = new TreeSet<>(contracts.all().keySet());
    indexed.addAll(contracts.shared().keySet());
    assertThat(indexed).isEqualTo(files);
  }

  @Test
  void everyContractNamesItsSourcesAndHasFlagsOrPorts() {
    assertThat(contracts.all()).isNotEmpty();
    contracts
        .all()
        .forEach(
            (name, c) -> {
              assertThat(c.sources()).as(name + " sources").isNotEmpty();
              c.sources()
                  .forEach(
                      s -> assertThat(s.files()).as(name + " " + s.repo() + " files").isNotEmpty());
              if (c.platform() == null) {
                // Programs configured by file (Grafana, Loki) still take the flag that names it.
                assertThat(c.flags()).as(name + " flags").isNotEmpty();
              }
              assertThat(c.ports()).as(name + " ports").isNotEmpty();
              assertThat(c.published().checked()).as(name + " published.checked").isNotEmpty();
              assertThat(c.metricsSource()).as(name + " metricsSource").isNotEmpty();
              assertThat(c.verifiedWith()).as(name + " verifiedWith").isNotEmpty();
            });
  }

  @Test
  void flagAndMetricNamesAreUniqueWithinAContract() {
    contracts
        .all()
        .forEach(
            (name, c) -> {
              List<String> flags = c.flags().stream().map(ImageContract.Flag::name).toList();
              assertThat(flags).as(name + " flags").doesNotHaveDuplicates();
              List<String> metrics =
                  contracts.metricsOf(c).stream().map(ImageContract.Metric::name).toList();
              assertThat(metrics)
                  .as(name + " metrics with shared families")
                  .doesNotHaveDuplicates();
            });
  }

  @Test
  void everyPinnedImageHasAContractForItsRepositoryAndTag() {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> pin : ComponentRegistry.load().images().entrySet()) {
      var contract = contracts.forImage(pin.getValue());
      if (contract.isEmpty()) {
        missing.add(pin.getKey() + " (" + pin.getValue() + ")");
        continue;
      }
      ImageContract c = contract.get();
      String pinned = ImageRef.version(pin.getValue());
      // A contract may describe another tag than the pin only when it records what became of the
      // pin.
      if (!pinned.equals(c.tag())) {
        assertThat(c.pinnedTag())
            .as(pin.getKey() + ": pinned " + pinned + ", contract for " + c.tag())
            .isNotNull();
        assertThat(c.pinnedTag().tag()).as(pin.getKey() + " pinnedTag.tag").isEqualTo(pinned);
      }
    }
    assertThat(missing).as("pinned images without a contract").isEmpty();
  }

  @Test
  void flagLookupIgnoresDashesAndValues() {
    ImageContract c =
        contracts.forImage(ComponentRegistry.load().images().get("ipmi-exporter")).orElseThrow();
    assertThat(c.flag("--web.listen-address=:9290")).isPresent();
    assertThat(c.flag("web.listen-address")).isPresent();
    assertThat(c.flag("--web.listen-adress")).isEmpty();
  }

  @Test
  void repositoryStripsTagAndDigestButNotARegistryPort() {
    assertThat(Contracts.repository("quay.io/prometheus/prometheus:v3.5.0"))
        .isEqualTo("quay.io/prometheus/prometheus");
    assertThat(Contracts.repository("registry:5000/a/b@sha256:00")).isEqualTo("registry:5000/a/b");
    assertThat(Contracts.repository("registry:5000/a/b")).isEqualTo("registry:5000/a/b");
  }

  @Test
  void anUnknownKeyIsALocatedError() {
    String yaml =
        """
        image: a/b
        tag: v1
        published: {exists: true, checked: [x], evidence: y}
        user: {uid: 0, gid: 0, source: s}
        flagz: []
        metricsComplete: true
        """;
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ContractException.class)
        .hasMessageStartingWith("test.yaml:5:1: ")
        .hasMessageContaining("unknown key 'flagz'")
        .hasMessageContaining("flags");
  }

  @Test
  void aBadValueNamesTheFieldPath() {
    String yaml =
        """
        image: a/b
        tag: v1
        published: {exists: true, checked: [x], evidence: y}
        user: {uid: 0, gid: 0, source: s}
        metricsComplete: false
        metrics:
          - {name: ok_total, type: counter}
          - {name: bad, type: countr}
        """;
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ContractException.class)
        .hasMessageMatching(
            "test\\.yaml:8:\\d+: metrics\\[1\\]: type: expected one of .*, got 'countr'");
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    assertThatThrownBy(() -> parse("image: a/b\nmetricsComplete: true\n"))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("tag: required");
  }

  @Test
  void anImageWithATagIsRejected() {
    String yaml =
        """
        image: a/b:v1
        tag: v1
        published: {exists: true, checked: [x], evidence: y}
        user: {uid: 0, gid: 0, source: s}
        metricsComplete: false
        """;
    assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("image: the repository without tag");
  }

  private static void parse(String yaml) {
    Contracts.parse("test.yaml", yaml, ImageContract.class);
  }
}
