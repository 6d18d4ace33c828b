package dev.vigil.lint;

import dev.vigil.lint.output.HumanFormat;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the lint command does with a run, through the library alone: lint the inputs, print the
 * human report, exit with the report's code. {@link HostileInputIT} starts it in a JVM with a small
 * heap and stack, so that an input which needs more shows as a crash.
 */
public final class BoundedLintRun {
  private BoundedLintRun() {}

  public static void main(String[] args) {
    Report r =
        new Linter(LintConfig.defaults())
            .lintInputs(Arrays.asList(args), System.in, java.util.Optional.empty());
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    HumanFormat.write(r, out, false);
    out.flush();
    System.exit(r.exitCode());
  }
}
