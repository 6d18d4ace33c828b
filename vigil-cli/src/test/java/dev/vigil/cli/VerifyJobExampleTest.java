package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documented in-cluster verify Job passes Vigil's own lint and runs a command line Vigil
 * accepts.
 */
class VerifyJobExampleTest {
  private static final Path JOB = Repo.resolve("examples/verify-job/verify-job.yaml");

  @Test
  void theJobLintsClean() {
    StringWriter out = new StringWriter();
    int code =
        Vigil.run(
            new String[] {"lint", JOB.toString()},
            new PrintWriter(out, true),
            new PrintWriter(out, true));
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).contains("0 errors, 0 warnings");
  }

  @Test
  void itsArgumentsAreAVerifyCommandLineAndItsAccountMayPortForward() throws Exception {
    List<HasMetadata> objects = new KubernetesSerialization().unmarshal(Files.readString(JOB));
    Job job =
        objects.stream()
            .filter(Job.class::isInstance)
            .map(Job.class::cast)
            .findFirst()
            .orElseThrow();
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    CommandLine cl =
        Vigil.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("verify");
    assertThat(parsed.subcommand().matchedOptionValue("-o", "")).isEqualTo("junit");
    assertThat(Files.readString(JOB))
        .contains("resources: [pods/portforward]")
        .contains("verbs: [create]");
  }
}
