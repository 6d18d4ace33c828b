package dev.vigil.cli;

import dev.vigil.spec.bind.JsonSchema;
import dev.vigil.spec.model.Station;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of vigil.yaml, for editors (e.g. # yaml-language-server: $schema=...).")
public final class SchemaCommand implements Callable<Integer> {
  public static final String SCHEMA_ID = "https://vigil.dev/schemas/station-v1.json";

  @Spec CommandSpec spec;

  enum Format {
    json,
    markdown
  }

  @picocli.CommandLine.Option(names = "--format", defaultValue = "json",
      description = "json (JSON Schema, default) or markdown (the field reference of docs/spec.md).")
  Format format;

  @Override
  public Integer call() {
    String text = format == Format.json
        ? JsonSchema.generate(Station.class, SCHEMA_ID, "Vigil Station (vigil.dev/v1)")
        : dev.vigil.spec.SpecReference.markdown();
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
