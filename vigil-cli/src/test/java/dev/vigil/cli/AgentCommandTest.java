package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AgentCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Path example() {
    // Tests run in the module directory; the example lives at the repository root.
    Path p = Path.of("..", "examples", "syslog-gateway", "vigil.yaml");
    assertThat(p).exists();
    return p;
  }

  @Test
  void embeddedDefaultListensOnDocumentedPorts() {
    Result r = run("--dry-run", "--data-dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("the default station")
        .contains("0.0.0.0 udp/5514 tcp/5514")
        .contains("tls off")
        .contains("http://loki.monitoring.svc:3100")
        .contains("fsync interval, when full block");
  }

  @Test
  void exampleRunsOnLoopbackPushingToLocalLoki() {
    Result r = run("--dry-run", "-f", example().toString(), "--data-dir", tmp.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("127.0.0.1 udp/5514 tcp/5514")
        .contains("loki:      http://127.0.0.1:3100");
  }

  @Test
  void overlayChangesTheSpec() throws Exception {
    Path overlay = tmp.resolve("env.yaml");
    Files.writeString(
        overlay, "syslog:\n  loki:\n    url: http://loki.example:3100\n    tenant: ops\n");
    Result r = run("--dry-run", "-f", example().toString(), "-e", overlay.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("http://loki.example:3100 tenant ops");
  }

  @Test
  void badSpecIsALocatedErrorNotAStackTrace() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster:\n  name: x\nsyslog:\n  listen:\n    udpPort: 70000\n  journl: {}\n  parsing:\n    defaultTimezone: Mars/Olympus\n");
    Result r = run("--dry-run", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("bad.yaml")
        .contains("journl")
        .contains("70000")
        .contains("Mars/Olympus");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void missingFileIsAUsageError() {
    Result r = run("--dry-run", "-f", tmp.resolve("nope.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yaml: no such file");
  }
}
