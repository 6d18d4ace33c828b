package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a commented starter vigil.yaml for a homelab or production cluster.",
      "--out FILE (default vigil.yaml; '-' for standard output). Format (-o): yaml."
    })
public final class InitCommand implements Callable<Integer> {
  enum StarterProfile {
    HOMELAB,
    PRODUCTION
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--profile",
      defaultValue = "homelab",
      paramLabel = "homelab|production",
      description = "Starter to write (default: ${DEFAULT-VALUE}).",
      converter = ProfileConverter.class)
  StarterProfile profile;

  @Mixin OutOption outOption;

  @Mixin FormatOption format;

  @Option(names = "--force", description = "Overwrite an existing file.")
  boolean force;

  static String starter(StarterProfile profile) throws IOException {
    String resource = "/dev/vigil/cli/starter-" + profile.name().toLowerCase(Locale.ROOT) + ".yaml";
    try (InputStream in = InitCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("starter " + resource + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public Integer call() throws IOException {
    String[] legacy = {null};
    format.resolve(spec, "yaml", List.of("yaml"), p -> legacy[0] = p);
    String out = legacy[0] != null ? legacy[0] : outOption.orElse(Path.of("vigil.yaml")).toString();
    String text = starter(profile);
    if (out.equals("-")) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    Path target = Path.of(out);
    if (Files.exists(target) && !force) {
      spec.commandLine()
          .getErr()
          .println("vigil: " + target + " exists; use --force to overwrite it");
      return ExitCodes.INPUT;
    }
    Files.writeString(target, text, StandardCharsets.UTF_8);
    spec.commandLine().getOut().println("Wrote " + target + ". Next: vigil render -f " + target);
    return ExitCodes.OK;
  }

  static final class ProfileConverter
      implements picocli.CommandLine.ITypeConverter<StarterProfile> {
    @Override
    public StarterProfile convert(String value) {
      try {
        return StarterProfile.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected homelab or production, got '" + value + "'");
      }
    }
  }
}
