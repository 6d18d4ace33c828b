package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Input errors of {@code vigil wake}, all rejected before anything is sent (sending is only ever
 * tested inside network namespaces, see NetnsWakeIT).
 */
class WakeCommandTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new WakeCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void badInputExitsWith2AndALocatedMessage() throws Exception {
    Result missing = run("storagenodet3500", "-f", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("is not a MAC address").contains("no such file");

    Path broken = dir.resolve("vigil.yaml");
    Files.writeString(
        broken, "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: x}\nnodes: 5\n");
    Result bad = run("storagenodet3500", "-f", broken.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("has problems").contains("vigil.yaml:4");

    assertThat(run("b8:ac:6f:7e:6c:9d", "--timeout", "5 minutes").exit()).isEqualTo(2);
    assertThat(run("b8:ac:6f:7e:6c:9d", "--port", "70000").err()).contains("expected a port");
    Result noAddress = run("b8:ac:6f:7e:6c:9d", "--wait");
    assertThat(noAddress.exit()).isEqualTo(2);
    assertThat(noAddress.err()).contains("--wait needs the node's address");
    Result unsetEnv =
        run("b8:ac:6f:7e:6c:9d", "--secureon-env", "VIGIL_TEST_SURELY_UNSET_VARIABLE");
    assertThat(unsetEnv.exit()).isEqualTo(2);
    assertThat(unsetEnv.err()).contains("VIGIL_TEST_SURELY_UNSET_VARIABLE is not set");
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "toolongpassword\n");
    Result badPw = run("b8:ac:6f:7e:6c:9d", "--secureon-file", pw.toString());
    assertThat(badPw.exit()).isEqualTo(2);
    assertThat(badPw.err()).contains("4 or 6 bytes").doesNotContain("toolongpassword");
    assertThat(run().exit()).isEqualTo(2);
  }

  @Test
  void unknownNodeNamesTheNodesOfTheSpec() throws Exception {
    Path spec = dir.resolve("vigil.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: vigil.dev/v1
        kind: Station
        cluster: {name: lab}
        nodes:
          - {name: masternode, address: 192.168.4.63, role: control-plane}
          - {name: homelab, address: 192.168.4.62}
        """);
    Result r = run("storage", "-f", spec.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no node 'storage'").contains("[masternode, homelab]");
    Result noMac = run("homelab", "-f", spec.toString());
    assertThat(noMac.exit()).isEqualTo(2);
    assertThat(noMac.err()).contains("node 'homelab' has no MAC address");
  }
}
