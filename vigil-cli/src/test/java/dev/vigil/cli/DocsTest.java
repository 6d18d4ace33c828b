package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentDocs;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.spec.SpecReference;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Documentation that states facts the code owns stays in step with the code. */
class DocsTest {
  @Test
  void specReferenceIsGeneratedFromTheModel() throws Exception {
    String doc = Files.readString(Repo.resolve("docs/spec.md"));
    assertThat(doc)
        .as("docs/spec.md's reference is stale: run scripts/update-golden")
        .contains(SpecReference.markdown());
  }

  @Test
  void componentsTableIsGeneratedFromTheDeclarations() throws Exception {
    String doc = Files.readString(Repo.resolve("docs/components.md"));
    assertThat(doc)
        .as("docs/components.md's component table is stale: run scripts/update-golden")
        .contains(ComponentDocs.markdown(ComponentRegistry.load()));
    ComponentRegistry.load()
        .images()
        .forEach(
            (name, image) ->
                assertThat(doc)
                    .as("docs/components.md must show image %s", name)
                    .contains("`" + image + "`"));
  }

  @Test
  void readmeQuickStartHasExactlyTheTwoCommands() throws Exception {
    String readme = Files.readString(Repo.resolve("README.md"));
    int start = readme.indexOf("## Quick start");
    int block = readme.indexOf("```sh\n", start);
    int end = readme.indexOf("```", block + 6);
    assertThat(readme.substring(block + 6, end)).isEqualTo("./vigil render\n./scripts/test\n");
    assertThat(Files.readString(Repo.resolve(".ci/run"))).contains("./scripts/test");
  }
}
