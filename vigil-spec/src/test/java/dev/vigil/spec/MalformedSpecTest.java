package dev.vigil.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed specs. Each {@code NN-name.yaml} has a {@code NN-name.expected} listing the
 * exact problems, one per line, as `vigil render` prints them (file:line:column: path: message).
 */
class MalformedSpecTest {
  static Path dir() throws URISyntaxException {
    return Path.of(MalformedSpecTest.class.getResource("/dev/vigil/spec/malformed").toURI());
  }

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactLocatedProblems(String name) throws Exception {
    String text = Files.readString(dir().resolve(name + ".yaml"), StandardCharsets.UTF_8);
    Bound<Station> bound = SpecLoader.load(List.of(new Source(name + ".yaml", text)));
    List<String> actual = bound.problems().stream().map(Problem::toString).toList();
    Path expectedFile = dir().resolve(name + ".expected");
    assertThat(Files.exists(expectedFile))
        .as("%s.expected is missing; the loader reports:%n%s", name, String.join("\n", actual))
        .isTrue();
    List<String> expected =
        Files.readAllLines(expectedFile, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    assertThat(bound.ok()).isFalse();
    assertThat(bound.value()).isNull();
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @org.junit.jupiter.api.Test
  void corpusIsLargeEnough() throws Exception {
    assertThat(cases().count()).isGreaterThanOrEqualTo(25);
  }
}
