package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.rules.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance shape of the Pod Security Standards corpora: under {@code --profile restricted}
 * every failing pod gets at least one error from a PSS rule and every passing pod none.
 */
class PssProfileTest {
  private static final LintConfig RESTRICTED =
      LintConfig.defaults().withProfile(LintProfile.RESTRICTED);
  private static final LintConfig BASELINE =
      LintConfig.defaults().withProfile(LintProfile.BASELINE);

  private static String resource(String path) throws IOException {
    try (InputStream in = PssProfileTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<Finding> pssErrors(Report r, Manifest m) {
    return r.findings().stream()
        .filter(f -> f.ruleId().startsWith("pss-") && f.severity() == Severity.ERROR)
        .filter(f -> m.objectRef().equals(f.object()))
        .toList();
  }

  @Test
  void compliantPodsInEveryKindPassRestricted() throws IOException {
    String text = resource("/pss/restricted-every-kind.yaml");
    Report r = new Linter(RESTRICTED).lintText("every-kind.yaml", text);
    assertThat(r.errors()).isEmpty();
    assertThat(r.objects()).isEqualTo(10);
    assertThat(r.findings()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void restrictedProfileRunsOnlyPssRulesAndTheExemptionChecks() {
    List<String> ids =
        new Linter(RESTRICTED).activeRules().stream().map(rr -> rr.rule().id()).toList();
    assertThat(ids).allMatch(id -> id.startsWith("pss-") || id.startsWith("exemption-"));
    assertThat(ids).contains("pss-run-as-non-root", "pss-host-path", "pss-capabilities-restricted");
    List<String> base =
        new Linter(BASELINE).activeRules().stream().map(rr -> rr.rule().id()).toList();
    assertThat(base)
        .contains("pss-host-path")
        .doesNotContain("pss-run-as-non-root", "pss-volume-types");
  }

  @Test
  void everyPssCaseIsDecidedCorrectlyUnderRestricted() throws IOException {
    int failing = 0;
    int passing = 0;
    for (Rule rule : Rules.all()) {
      if (!rule.id().startsWith("pss-")) {
        continue;
      }
      String text = RuleCasesTest.caseBook(rule.id());
      Report r = new Linter(RESTRICTED).lintText(rule.id() + ".yaml", text);
      for (Manifest m : RuleCasesTest.load(text).manifests()) {
        String expect = YamlValues.str(m.annotations(), RuleCasesTest.EXPECT);
        if ("fire".equals(expect)) {
          failing++;
          assertThat(pssErrors(r, m)).as("restricted must reject %s", m.ref()).isNotEmpty();
          if (rule.level() == LintProfile.BASELINE) {
            Report b = new Linter(BASELINE).lintText(rule.id() + ".yaml", text);
            assertThat(pssErrors(b, m)).as("baseline must reject %s", m.ref()).isNotEmpty();
          }
        } else if ("pass".equals(expect)) {
          passing++;
          // A pass case is only compliant with its own rule; the other rules may still fire.
          assertThat(pssErrors(r, m)).noneMatch(f -> f.ruleId().equals(rule.id()));
        }
      }
    }
    assertThat(failing).isGreaterThan(40);
    assertThat(passing).isGreaterThan(40);
  }

  @Test
  void baselineIgnoresRestrictedOnlyViolations() {
    String pod =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            + "spec: {containers: [{name: c, image: \"busybox:1.36\", securityContext: {runAsUser: 0}}],"
            + " volumes: [{name: n, nfs: {server: s, path: /}}]}\n";
    assertThat(new Linter(BASELINE).lintText("p.yaml", pod).findings()).isEmpty();
    assertThat(new Linter(RESTRICTED).lintText("p.yaml", pod).findings())
        .extracting(Finding::ruleId)
        .contains("pss-run-as-user", "pss-volume-types", "pss-run-as-non-root");
  }
}
