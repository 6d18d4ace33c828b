package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One meaning per option letter across every command: {@code -f} is the spec file, {@code -e} an
 * overlay, {@code -o} the output format, {@code --out} where output is written. Older spellings
 * survive only as hidden options for one release.
 */
class OptionLettersTest {
  private static final Map<String, String> MEANING =
      Map.of("-f", "--file", "-e", "--env", "-o", "--output");

  private static List<CommandSpec> allCommands() {
    List<CommandSpec> all = new ArrayList<>();
    collect(
        Vigil.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
        all);
    return all;
  }

  private static void collect(CommandLine cl, List<CommandSpec> into) {
    into.add(cl.getCommandSpec());
    cl.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  @Test
  void everyVisibleShortOptionMeansTheSameEverywhere() {
    List<String> wrong = new ArrayList<>();
    for (CommandSpec c : allCommands()) {
      for (OptionSpec o : c.options()) {
        if (o.hidden()) {
          continue;
        }
        for (String name : o.names()) {
          String expected = MEANING.get(name);
          if (expected != null && !List.of(o.names()).contains(expected)) {
            wrong.add(c.qualifiedName() + ": " + String.join("/", o.names()));
          }
        }
        for (String longName : MEANING.values()) {
          if (List.of(o.names()).contains(longName)) {
            String shortName =
                MEANING.entrySet().stream()
                    .filter(e -> e.getValue().equals(longName))
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            if (!List.of(o.names()).contains(shortName)) {
              wrong.add(c.qualifiedName() + ": " + longName + " without " + shortName);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theSharedOptionsComeFromTheirMixins() {
    List<String> wrong = new ArrayList<>();
    for (CommandSpec c : allCommands()) {
      for (OptionSpec o : c.options()) {
        if (o.hidden() || o.group() != null) {
          continue;
        }
        List<String> names = List.of(o.names());
        Object owner =
            o.userObject() instanceof java.lang.reflect.Field f ? f.getDeclaringClass() : null;
        if ((names.contains("--output") && owner != FormatOption.class)
            || (names.contains("--out") && owner != OutOption.class)
            || (names.contains("--file") && owner != SpecOptions.class)
            || (names.contains("--env") && owner != SpecOptions.class)) {
          wrong.add(c.qualifiedName() + ": " + String.join("/", names) + " declared in " + owner);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void renderTakesTheOldOutputDirectorySpellingWithANote() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vigil-render-old-o");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Vigil.run(
            new String[] {"render", "-o", dir.resolve("out").toString()},
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains("-o/--output now selects the output format")
        .contains("as --out");
    assertThat(dir.resolve("out/kustomization.yaml")).exists();
  }

  @picocli.CommandLine.Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    final Throwable toThrow;

    Boom(Throwable toThrow) {
      this.toThrow = toThrow;
    }

    @Override
    public Integer call() throws Exception {
      if (toThrow instanceof Error e) {
        throw e;
      }
      throw (Exception) toThrow;
    }
  }

  private static String[] boom(Throwable t, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Vigil.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err));
    cl.addSubcommand("boom", new Boom(t));
    Vigil.configure(cl, cl.getOut(), cl.getErr());
    int code = Vigil.execute(cl, args);
    return new String[] {String.valueOf(code), err.toString()};
  }

  @Test
  void unexpectedFailuresAreOneLineWithoutATrace() {
    for (Throwable t :
        List.of(
            new StackOverflowError(),
            new OutOfMemoryError("Java heap space"),
            new IllegalStateException("broken\nline"))) {
      String[] r = boom(t, "boom");
      assertThat(r[0]).isEqualTo("2");
      assertThat(r[1])
          .doesNotContain("\tat ")
          .endsWith("(--debug shows where)" + System.lineSeparator());
      assertThat(r[1].lines().count()).as(r[1]).isEqualTo(1);
    }
    String[] debug = boom(new IllegalStateException("x"), "boom", "--debug");
    assertThat(debug[1]).contains("\tat ");
  }
}
