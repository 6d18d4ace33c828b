package dev.vigil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --out PATH}: where a command writes what it makes — the directory of a render, the file of
 * a report or starter spec. The one spelling across Vigil; {@code -o} is the format.
 */
public final class OutOption {
  @Option(
      names = "--out",
      paramLabel = "PATH",
      description =
          "Where to write the output (a directory for render, a file otherwise; '-' for standard output where a file is written).")
  Path out;

  Path orElse(Path dflt) {
    return out != null ? out : dflt;
  }
}
