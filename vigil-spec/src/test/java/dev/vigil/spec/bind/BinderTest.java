package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Sample.Station;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinderTest {
  static Bound<Station> bind(String yaml) {
    return Binder.bind(Station.class, "vigil.yaml", yaml);
  }

  static List<String> problems(String yaml) {
    return bind(yaml).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void smoke() {
    Bound<Station> b =
        bind(
            """
            apiVersion: vigil.dev/v1
            nodes:
              - name: a
                address: 10.0.0.1
                role: control-plane
              - name: a
                address: 10.0.0.2
                mac: zz
            components:
              prometheus:
                replicas: abc
                retentoin: 3
                retention:
                  size: 30Gi
            """);
    b.problems().forEach(System.out::println);
    assertThat(b.ok()).isFalse();
  }
}
