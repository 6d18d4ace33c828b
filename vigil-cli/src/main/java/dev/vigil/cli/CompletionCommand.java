package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil completion bash|zsh}: the completion script, generated from the same command model
 * that parses the command line, so it offers exactly the commands and options vigil accepts.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print the shell completion script for vigil.",
      "bash: source <(vigil completion bash), or save it as"
          + " /usr/share/bash-completion/completions/vigil (the Debian package does).",
      "zsh: source <(vigil completion zsh) in ~/.zshrc; zsh runs the bash completion through bashcompinit.",
      "--out FILE writes the script there instead of standard output."
    })
public final class CompletionCommand implements Callable<Integer> {
  static final List<String> SHELLS = List.of("bash", "zsh");

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "bash|zsh",
      completionCandidates = Shells.class,
      description = "The shell to complete for.")
  String shell;

  @Mixin OutOption outOption;

  @Override
  public Integer call() throws IOException {
    if (!SHELLS.contains(shell)) {
      throw new ParameterException(spec.commandLine(), "expected bash or zsh, got '" + shell + "'");
    }
    String script = bash(spec.root().commandLine());
    String text = shell.equals("zsh") ? zsh(script) : script;
    Path out = outOption.orElse(Path.of("-"));
    if (out.toString().equals("-")) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(out, text, StandardCharsets.UTF_8);
    }
    return ExitCodes.OK;
  }

  /** The bash completion of the command line {@code root} (whose name is the command's). */
  static String bash(picocli.CommandLine root) {
    return AutoComplete.bash(root.getCommandName(), root);
  }

  /**
   * zsh's bashcompinit runs bash's {@code complete}/{@code compgen}; the bash script loads it when
   * it finds itself in zsh (and compinit, when nothing loaded it yet), so one completion, kept in
   * step with the model, serves both shells.
   */
  static String zsh(String bashScript) {
    return "# zsh completion for vigil: the bash completion below, run by zsh's bashcompinit\n"
        + "# (which it loads itself). In ~/.zshrc: source <(vigil completion zsh)\n"
        + bashScript;
  }

  static final class Shells implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SHELLS.iterator();
    }
  }
}
