package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.rules.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every rule carries its documentation, and the rule reference in docs/lint.md lists it. */
class RuleDocsTest {
  @Test
  void everyRuleIsDocumented() throws Exception {
    Path docs = Path.of("..", "docs", "lint.md");
    assertThat(docs).exists();
    String text = Files.readString(docs);
    for (Rule r : Rules.all()) {
      assertThat(r.title()).as(r.id()).isNotBlank();
      assertThat(r.doc()).as(r.id()).hasSizeGreaterThan(40);
      assertThat(r.fix()).as(r.id()).isNotBlank();
      assertThat(text).as("docs/lint.md documents %s", r.id()).contains("### `" + r.id() + "`");
    }
  }
}
