package dev.vigil.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Small inputs that used to hang the linter, exhaust its memory or overflow its stack, written into
 * a directory one case each. Shared by the in-process test and the bounded-JVM test.
 */
final class HostileInputs {
  private HostileInputs() {}

  /** 537 bytes that stand for 9^8 containers once the aliases are expanded. */
  static String billionLaughs() {
    StringBuilder s = new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata: {name: lol}\n");
    s.append("a: &a [");
    for (int i = 0; i < 9; i++) {
      s.append(i == 0 ? "" : ", ").append("{name: lol}");
    }
    s.append("]\n");
    for (char c = 'b'; c <= 'h'; c++) {
      s.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        s.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
      }
      s.append("]\n");
    }
    return s.append("spec: {containers: *h}\n").toString();
  }

  static String deep(int levels) {
    return "[".repeat(levels) + "]".repeat(levels);
  }

  /**
   * Case name → file written for it, each expected to give exactly one input error. FIFOs and
   * symlinks need a POSIX file system.
   */
  static Map<String, Path> write(Path dir) throws IOException, InterruptedException {
    Map<String, Path> cases = new LinkedHashMap<>();
    cases.put("billion laughs", Files.writeString(dir.resolve("bomb.yaml"), billionLaughs()));
    cases.put(
        "deep YAML",
        Files.writeString(dir.resolve("deep.yaml"), "kind: Pod\nx: " + deep(5000) + "\n"));
    cases.put("deep JSON", Files.writeString(dir.resolve("deep.json"), deep(5000)));
    StringBuilder block = new StringBuilder("kind: Pod\n");
    for (int i = 0; i < 300; i++) {
      block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    cases.put(
        "deep block YAML",
        Files.writeString(
            dir.resolve("deep-block.yaml"),
            block.append("  ".repeat(300)).append("v\n").toString()));
    cases.put(
        "deep config in a ConfigMap",
        Files.writeString(
            dir.resolve("deep-cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  prometheus.yml: |\n"
                + "    global: {scrape_interval: 15s}\n    x: "
                + deep(5000)
                + "\n"));
    cases.put(
        "alias bomb in a ConfigMap",
        Files.writeString(
            dir.resolve("bomb-cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  prometheus.yml: |\n"
                + billionLaughs()
                    .replace("spec: {containers: *h}\n", "scrape_configs: *h\n")
                    .lines()
                    .map(l -> "    " + l + "\n")
                    .reduce("", String::concat)));
    Path fifo = dir.resolve("fifo.yaml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("mkfifo failed");
    }
    cases.put("FIFO", fifo);
    cases.put(
        "link to /dev/zero",
        Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero")));
    byte[] binary = new byte[300];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (i * 37);
    }
    cases.put("binary", Files.write(dir.resolve("binary.yaml"), binary));
    cases.put(
        "garbage Alloy",
        Files.writeString(dir.resolve("garbage.alloy"), "hello world\nthis is not a config\n"));
    cases.put(
        "garbage INI", Files.writeString(dir.resolve("garbage.ini"), "\u0001\u0002 just words\n"));
    cases.put(
        "YAML named .json",
        Files.writeString(dir.resolve("yaml.json"), "kind: Pod\nmetadata: {name: j}\n"));
    return cases;
  }
}
