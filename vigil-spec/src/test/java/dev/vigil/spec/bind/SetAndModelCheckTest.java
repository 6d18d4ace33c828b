package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.spec.bind.Sample.Station;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetAndModelCheckTest {
  static final Source BASE =
      new Source(
          "vigil.yaml",
          "apiVersion: v1\ncomponents:\n  prometheus:\n    replicas: 2\n    image: custom\n");

  static List<String> problems(Source... sources) {
    return Binder.bind(Station.class, sources).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void setAssignsADottedPathAfterTheOverlays() {
    Bound<Station> b =
        Binder.bind(
            Station.class,
            BASE,
            Source.set("components.prometheus.replicas=3"),
            Source.set("components.grafana.cpu=2.5"),
            Source.set("labels.team=sre"),
            Source.set("components.prometheus.extraTargets=[{name: fed, targets: ['x:9090']}]"));
    assertThat(b.problems()).isEmpty();
    assertThat(b.value().components().prometheus().replicas()).isEqualTo(3);
    assertThat(b.value().components().prometheus().image()).isEqualTo("custom");
    assertThat(b.value().components().grafana().cpu()).isEqualTo(2.5);
    assertThat(b.value().labels()).containsEntry("team", "sre");
    assertThat(b.value().components().prometheus().extraTargets().get(0).targets())
        .containsExactly("x:9090");
  }

  @Test
  void setToNullOrNothingDeletesTheKey() {
    for (String assignment :
        List.of("components.prometheus.image=~", "components.prometheus.image=")) {
      Bound<Station> b = Binder.bind(Station.class, BASE, Source.set(assignment));
      assertThat(b.problems()).isEmpty();
      assertThat(b.value().components().prometheus().image()).isNull();
    }
  }

  @Test
  void setErrorsPointIntoTheAssignment() {
    assertThat(problems(BASE, Source.set("components.prometheus.replicas=many")))
        .containsExactly(
            "--set:1:32: components.prometheus.replicas: expected an integer, got 'many'");
    assertThat(problems(BASE, Source.set("components.prometheus.replcas=4")))
        .containsExactly(
            "--set:1:23: components.prometheus.replcas: unknown field 'replcas' (did you mean"
                + " 'replicas'?)");
    assertThat(problems(BASE, Source.set("components..x=1")))
        .containsExactly(
            "--set:1:1: expected path=value with a dotted path such as"
                + " components.grafana.replicas=2, got 'components..x=1'");
    assertThat(problems(BASE, Source.set("replicas")))
        .containsExactly(
            "--set:1:1: expected path=value with a dotted path such as"
                + " components.grafana.replicas=2, got 'replicas'");
    assertThat(problems(BASE, Source.set("labels.a=[x")))
        .singleElement()
        .asString()
        .startsWith("--set:1:12: invalid YAML: ");
  }

  @Test
  void problemsAsJson() throws IOException {
    List<Problem> problems = Binder.bind(Station.class, "vigil.yaml", "foo: 1\n").problems();
    var json = new ObjectMapper().readTree(Problem.toJson(problems));
    assertThat(json.size()).isEqualTo(2);
    assertThat(json.get(0).get("file").asText()).isEqualTo("vigil.yaml");
    assertThat(json.get(0).get("line").asInt()).isEqualTo(1);
    assertThat(json.get(0).get("column").asInt()).isEqualTo(1);
    assertThat(json.get(0).get("path").asText()).isEqualTo("foo");
    assertThat(json.get(1).get("message").asText())
        .isEqualTo("missing required field 'apiVersion'");
    assertThat(Problem.toJson(List.of())).isEqualTo("[ ]");
  }

  @Test
  void theSampleModelIsClean() {
    assertThat(ModelCheck.problems(Station.class)).isEmpty();
    assertThat(ModelCheck.nullWhenAbsent(Station.class))
        .containsExactly("components.grafana.adminPassword");
  }

  record Bad(
      @Default("x") int n,
      @Required @Default("1") @Doc("d") int both,
      @Doc("d") boolean flag,
      @Doc("d") Set<String> set,
      @Doc("d") List<Undocumented> items) {}

  record Undocumented(String s) {
    public static Undocumented parse(String s) {
      return new Undocumented(s);
    }
  }

  @Test
  void findsModelMistakes() {
    assertThat(ModelCheck.problems(Bad.class))
        .containsExactly(
            "dev.vigil.spec.bind.SetAndModelCheckTest$Bad is not public",
            "Bad.n has no @Doc",
            "invalid @Default(\"x\") of Bad.n: expected an integer, got 'x'",
            "Bad.both is both @Required and @Default",
            "Bad.flag is a primitive without @Default: its value when absent is undocumented",
            "Bad.set: unsupported spec type java.util.Set<java.lang.String>",
            "dev.vigil.spec.bind.SetAndModelCheckTest$Undocumented has no @Doc (shown in the JSON"
                + " Schema)");
    assertThat(ModelCheck.problems(String.class))
        .containsExactly("java.lang.String is not a record");
  }
}
