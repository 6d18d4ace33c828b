package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Sample.Machine;
import dev.vigil.spec.bind.Sample.Profile;
import dev.vigil.spec.bind.Sample.Station;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayTest {
  static final Source BASE =
      new Source(
          "vigil.yaml",
          """
          apiVersion: v1
          profile: homelab
          nodes:
            - name: a
              address: 10.0.0.1
              labels: {zone: x, rack: r1}
            - name: b
              address: 10.0.0.2
              mac: aa:bb:cc:dd:ee:ff
          components:
            prometheus:
              replicas: 1
              image: base
              extraTargets:
                - name: t1
                  targets: [a:1, b:2]
          labels: {team: sre, env: base}
          """);

  static final Source DEV =
      new Source(
          "environments/dev.yaml",
          """
          profile: production
          nodes:
            - name: b
              address: 10.0.0.20
              mac: ~
            - name: c
              address: 10.0.0.3
            - name: a
              labels: {rack: r2}
          components:
            prometheus:
              image: ~
              replicas: 3
              extraTargets:
                - name: t1
                  targets: [c:3]
          labels:
            env: dev
          """);

  static List<String> problems(Source... sources) {
    return Binder.bind(Station.class, sources).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void overlayMergesMappingsNamedItemsAndDeletesNulls() {
    Bound<Station> b = Binder.bind(Station.class, BASE, DEV);
    assertThat(b.problems()).isEmpty();
    Station s = b.value();
    assertThat(s.profile()).isEqualTo(Profile.PRODUCTION);
    assertThat(s.nodes()).extracting(Machine::name).containsExactly("a", "b", "c");
    Machine a = s.nodes().get(0);
    assertThat(a.address().text()).isEqualTo("10.0.0.1");
    assertThat(a.labels())
        .containsExactly(java.util.Map.entry("zone", "x"), java.util.Map.entry("rack", "r2"));
    Machine bNode = s.nodes().get(1);
    assertThat(bNode.address().text()).isEqualTo("10.0.0.20");
    assertThat(bNode.mac()).isNull();
    assertThat(s.nodes().get(2).address().text()).isEqualTo("10.0.0.3");
    var p = s.components().prometheus();
    assertThat(p.image()).isNull();
    assertThat(p.replicas()).isEqualTo(3);
    // A list of plain values is replaced, not appended to.
    assertThat(p.extraTargets())
        .singleElement()
        .satisfies(t -> assertThat(t.targets()).containsExactly("c:3"));
    assertThat(s.labels())
        .containsExactly(java.util.Map.entry("team", "sre"), java.util.Map.entry("env", "dev"));
  }

  @Test
  void locationsOfMergedValuesNameTheFileTheyCameFrom() {
    Bound<Station> b = Binder.bind(Station.class, BASE, DEV);
    assertThat(b.locations().positionOf("nodes[1].address"))
        .isEqualTo(new Position("environments/dev.yaml", 4, 14));
    assertThat(b.locations().positionOf("nodes[0].address"))
        .isEqualTo(new Position("vigil.yaml", 5, 14));
    assertThat(b.locations().positionOf("nodes[2]"))
        .isEqualTo(new Position("environments/dev.yaml", 6, 5));
    assertThat(b.locations().files()).containsExactly("vigil.yaml", "environments/dev.yaml");
  }

  @Test
  void overlaysApplyInOrder() {
    Source prod =
        new Source("environments/prod.yaml", "components:\n  prometheus:\n    replicas: 5\n");
    Bound<Station> b = Binder.bind(Station.class, BASE, DEV, prod);
    assertThat(b.value().components().prometheus().replicas()).isEqualTo(5);
    Bound<Station> reversed = Binder.bind(Station.class, BASE, prod, DEV);
    assertThat(reversed.value().components().prometheus().replicas()).isEqualTo(3);
  }

  @Test
  void errorsInOverlaysNameTheOverlayAndSortAfterTheBase() {
    Source base = new Source("vigil.yaml", "apiVersion: v1\nprofile: x\n");
    Source bad =
        new Source(
            "environments/dev.yaml",
            "components:\n"
                + "  prometheus:\n"
                + "    replicas: many\n"
                + "    replicas: 2\n"
                + "nodes:\n"
                + "  - name: q\n");
    // Structural problems do not stop binding: the rest of every file is still checked.
    assertThat(problems(base, bad))
        .containsExactly(
            "vigil.yaml:2:10: profile: expected homelab or production, got 'x'",
            "environments/dev.yaml:3:15: components.prometheus.replicas: expected an integer, got"
                + " 'many'",
            "environments/dev.yaml:4:5: components.prometheus.replicas: duplicate key 'replicas'"
                + " (first at line 3)",
            "environments/dev.yaml:6:5: nodes[0]: missing required field 'address'");
    Source typo =
        new Source(
            "environments/dev.yaml",
            "components:\n  prometheus:\n    replicas: many\nnodes:\n  - name: q\n");
    assertThat(problems(base, typo))
        .containsExactly(
            "vigil.yaml:2:10: profile: expected homelab or production, got 'x'",
            "environments/dev.yaml:3:15: components.prometheus.replicas: expected an integer, got"
                + " 'many'",
            "environments/dev.yaml:5:5: nodes[0]: missing required field 'address'");
  }

  @Test
  void syntaxErrorsInOverlaysNameTheOverlay() {
    Source bad = new Source("environments/dev.yaml", "profile: [production\n");
    assertThat(problems(BASE, bad))
        .singleElement()
        .asString()
        .startsWith("environments/dev.yaml:2:1: invalid YAML: ");
  }

  @Test
  void anEmptyOverlayChangesNothing() {
    Bound<Station> b =
        Binder.bind(Station.class, BASE, new Source("empty.yaml", "# nothing yet\n"));
    assertThat(b.problems()).isEmpty();
    assertThat(b.value()).isEqualTo(Binder.bind(Station.class, BASE).value());
  }

  @Test
  void unnamedSequencesReplaceAndNullsDeleteRequiredKeys() {
    Source reset = new Source("reset.yaml", "nodes: []\napiVersion: ~\n");
    assertThat(problems(BASE, reset))
        .containsExactly("vigil.yaml:1:1: missing required field 'apiVersion'");
    Source noNodes = new Source("reset.yaml", "nodes: []\n");
    assertThat(Binder.bind(Station.class, BASE, noNodes).value().nodes()).isEmpty();
  }

  @Test
  void anOverlayThatIsNotAMappingReplacesTheDocument() {
    assertThat(problems(BASE, new Source("o.yaml", "- a\n")))
        .containsExactly("o.yaml:1:1: expected a mapping, got a sequence");
  }

  @Test
  void mergeLeavesItsInputsUnchanged() {
    List<Problem> problems = new ArrayList<>();
    var base = YamlTree.parse(BASE, problems).orElseThrow();
    var overlay = YamlTree.parse(DEV, problems).orElseThrow();
    String before = base.toString() + overlay.toString();
    YamlTree.merge(base, overlay);
    assertThat(base.toString() + overlay.toString()).isEqualTo(before);
    assertThat(problems).isEmpty();
  }
}
