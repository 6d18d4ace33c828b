package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files the distribution ships that the code also produces — the JSON Schema, the version stamp,
 * the completion scripts — say what the code says.
 */
class DistributedFilesTest {
  @Test
  void theRepositorySchemaIsWhatVigilSchemaPrints() throws Exception {
    CliTest.Result r = CliTest.run("schema");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(Repo.resolve("schema/station-v1.json")))
        .as("schema/station-v1.json is stale: run scripts/update-golden")
        .isEqualTo(r.out());
  }

  @Test
  void theSchemaSaysWhereItIsPublishedAndThatIsTheRepositoryFile() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Repo.resolve("schema/station-v1.json").toFile());
    assertThat(schema.path("$id").asText()).isEqualTo(SchemaCommand.SCHEMA_ID);
    // The published address is the raw copy of this very file on the main branch.
    assertThat(SchemaCommand.SCHEMA_ID).endsWith("/main/schema/station-v1.json");
  }

  @ParameterizedTest
  @EnumSource(InitCommand.StarterProfile.class)
  void aStarterPointsEditorsAtThePublishedSchema(InitCommand.StarterProfile profile)
      throws Exception {
    String first = InitCommand.starter(profile).lines().findFirst().orElseThrow();
    assertThat(first).isEqualTo("# yaml-language-server: $schema=" + SchemaCommand.SCHEMA_ID);
  }

  @Test
  void versionNamesTheReleaseAndTheCommit() throws Exception {
    CliTest.Result r = CliTest.run("--version");
    assertThat(r.code()).isZero();
    Properties stamp = new Properties();
    try (var in = VersionProvider.class.getResourceAsStream(VersionProvider.RESOURCE)) {
      stamp.load(in);
    }
    // The build of this checkout ran in a git repository: the commit is known.
    assertThat(stamp.getProperty("commit")).matches("[0-9a-f]{12}");
    assertThat(r.out())
        .startsWith(
            "vigil " + stamp.getProperty("version") + " (commit " + stamp.getProperty("commit"));
    assertThat(r.out()).contains("Java " + System.getProperty("java.version"));
  }

  @Test
  void aBuildWithoutARepositorySaysCommitUnknown() {
    Properties stamp = new Properties();
    stamp.setProperty("version", "0.1.0");
    // What the build writes when git cannot tell the commit (a source archive has no .git).
    stamp.setProperty("commit", "unknown");
    assertThat(VersionProvider.BuildInfo.from(stamp).describe())
        .isEqualTo("0.1.0 (commit unknown)");
    // The class run without the build's filtering.
    stamp.setProperty("commit", "${buildNumber}");
    assertThat(VersionProvider.BuildInfo.from(stamp).describe())
        .isEqualTo("0.1.0 (commit unknown)");
  }

  @Test
  void bashCompletionOffersEveryCommandAndItsOptions() {
    CliTest.Result r = CliTest.run("completion", "bash");
    assertThat(r.code()).as(r.err()).isZero();
    for (String command : new picocli.CommandLine(new Vigil()).getSubcommands().keySet()) {
      assertThat(r.out()).as(command).contains(command);
    }
    assertThat(r.out())
        .contains("complete -F _complete_vigil", "--data-dir", "--http-port", "--profile");
  }

  @Test
  void zshCompletionIsTheBashCompletionWhichLoadsBashcompinitInZsh() {
    CliTest.Result zsh = CliTest.run("completion", "zsh");
    CliTest.Result bash = CliTest.run("completion", "bash");
    assertThat(zsh.code()).isZero();
    assertThat(zsh.out()).endsWith(bash.out());
    assertThat(bash.out())
        .containsPattern("(?s)ZSH_VERSION.*autoload -U \\+X bashcompinit && bashcompinit");
  }

  @Test
  void completionGoesToTheFileOutNames(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path file = tmp.resolve("vigil");
    CliTest.Result r = CliTest.run("completion", "bash", "--out", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo(CliTest.run("completion", "bash").out());
  }

  @Test
  void anUnknownShellIsAUsageError() {
    CliTest.Result r = CliTest.run("completion", "fish");
    assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err()).contains("expected bash or zsh, got 'fish'");
  }
}
