package dev.vigil.cli;

import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code -o/--output FORMAT}: the one spelling of "output format" across Vigil. Each command names
 * the formats it writes in its description and resolves the option with {@link #resolve}.
 */
public final class FormatOption {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format (the command's description lists its formats).")
  String output;

  /**
   * The chosen format, {@code dflt} when none was given.
   *
   * @param legacyPath when not null, a value that is no format is taken as the path that {@code -o}
   *     named before it meant the format, with a deprecation note on standard error
   * @throws ParameterException naming the formats this command writes
   */
  String resolve(CommandSpec spec, String dflt, List<String> formats, Consumer<String> legacyPath) {
    if (output == null) {
      return dflt;
    }
    if (formats.contains(output)) {
      return output;
    }
    if (legacyPath != null) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil "
                  + spec.name()
                  + ": -o/--output now selects the output format ("
                  + String.join(", ", formats)
                  + "); taking '"
                  + output
                  + "' as --out "
                  + output
                  + " this time. Use --out; the old meaning goes in the next release.");
      legacyPath.accept(output);
      return dflt;
    }
    throw new ParameterException(
        spec.commandLine(),
        "--output: expected one of " + String.join(", ", formats) + ", got '" + output + "'");
  }
}
