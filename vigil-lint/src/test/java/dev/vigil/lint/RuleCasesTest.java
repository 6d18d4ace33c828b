package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.rules.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule has a case book {@code cases/<rule-id>.yaml}: objects annotated {@code
 * test.vigil.dev/expect: fire} must get a finding from that rule, objects annotated {@code pass}
 * must not. Objects without the annotation are context (PDBs, NetworkPolicies, ...).
 */
class RuleCasesTest {
  static final String EXPECT = "test.vigil.dev/expect";

  static String caseBook(String ruleId) throws IOException {
    try (InputStream in = RuleCasesTest.class.getResourceAsStream("/cases/" + ruleId + ".yaml")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Production station so that service-exposed is live (every other rule ignores it), and the
   * stateful images of the stack, which the library leaves to its caller.
   */
  static final LintConfig CONFIG =
      LintConfig.defaults()
          .withStationProfile(StationProfile.PRODUCTION)
          .withStatefulImages(
              List.of("prometheus", "loki", "alertmanager", "grafana", "vigil-agent"));

  @Test
  void everyRuleHasAtLeastTwoFiringAndTwoPassingCases() throws IOException {
    for (Rule r : Rules.all()) {
      String text = caseBook(r.id());
      assertThat(text).as("case book for %s", r.id()).isNotNull();
      Report report = new Linter(config(text)).lintText(r.id() + ".yaml", text);
      assertThat(report.errors()).as("%s parses", r.id()).isEmpty();
      long fire = countExpect(report, text, "fire");
      long pass = countExpect(report, text, "pass");
      assertThat(fire).as("firing cases for %s", r.id()).isGreaterThanOrEqualTo(2);
      assertThat(pass).as("non-firing cases for %s", r.id()).isGreaterThanOrEqualTo(2);
    }
  }

  /** A case book may name its target release in a first line {@code # kubernetesVersion: 1.N}. */
  static LintConfig config(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\A# kubernetesVersion: (\\S+)").matcher(text);
    return m.find() ? CONFIG.withKubernetesVersion(m.group(1)) : CONFIG;
  }

  private static long countExpect(Report report, String text, String what) {
    Loader.Loaded loaded = load(text);
    return loaded.manifests().stream()
        .filter(m -> what.equals(YamlValues.str(m.annotations(), EXPECT)))
        .count();
  }

  static Loader.Loaded load(String text) {
    Loader l = new Loader(InputStream.nullInputStream(), java.util.Optional.empty());
    l.loadText("case.yaml", text, "case.yaml");
    return l.load(List.of());
  }

  @TestFactory
  Stream<DynamicNode> casesBehaveAsAnnotated() throws IOException {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Rule r : Rules.all()) {
      String text = caseBook(r.id());
      if (text == null) {
        continue;
      }
      Report report = new Linter(config(text)).lintText(r.id() + ".yaml", text);
      List<DynamicTest> tests = new ArrayList<>();
      for (Manifest m : load(text).manifests()) {
        String expect = YamlValues.str(m.annotations(), EXPECT);
        if (expect == null) {
          continue;
        }
        List<Finding> mine =
            report.findings().stream()
                .filter(f -> f.ruleId().equals(r.id()) && m.objectRef().equals(f.object()))
                .toList();
        tests.add(
            DynamicTest.dynamicTest(
                expect + ": " + m.ref(),
                () -> {
                  if (expect.equals("fire")) {
                    assertThat(mine).as("%s on %s", r.id(), m.ref()).isNotEmpty();
                    assertThat(mine).allSatisfy(f -> assertThat(f.line()).isPositive());
                  } else {
                    assertThat(mine).as("%s on %s", r.id(), m.ref()).isEmpty();
                  }
                }));
      }
      nodes.add(DynamicContainer.dynamicContainer(r.id(), tests));
    }
    return nodes.stream();
  }
}
