package dev.vigil.cli;

import dev.vigil.spec.bind.JsonSchema;
import dev.vigil.spec.model.Station;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Print the JSON Schema of vigil.yaml, for editors (e.g. # yaml-language-server: $schema=...).",
      "Formats (-o): json (the JSON Schema, default), markdown (the field reference of docs/spec.md)."
    })
public final class SchemaCommand implements Callable<Integer> {
  /**
   * Where the schema is published: the repository's copy (schema/station-v1.json, kept equal to
   * this command's output by a test), so an editor anywhere can fetch it; the distribution also
   * installs it, for offline use, as /usr/share/vigil/schema/station-v1.json.
   */
  public static final String SCHEMA_ID =
      "https://raw.githubusercontent.com/vigil-dev/vigil/main/schema/station-v1.json";

  @Spec CommandSpec spec;

  @Mixin FormatOption format;

  /** The spelling before -o/--output selected the format everywhere; kept for one release. */
  @Option(names = "--format", hidden = true)
  String legacyFormat;

  @Override
  public Integer call() {
    String chosen = format.resolve(spec, "json", List.of("json", "markdown"), null);
    if (legacyFormat != null) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil schema: --format is now -o/--output (the same everywhere in vigil);"
                  + " the old spelling goes in the next release.");
      if (format.output == null) {
        chosen = legacyFormat.equals("markdown") ? "markdown" : "json";
      }
    }
    String text =
        chosen.equals("json")
            ? JsonSchema.generate(Station.class, SCHEMA_ID, "Vigil Station (vigil.dev/v1)")
            : dev.vigil.spec.SpecReference.markdown();
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
