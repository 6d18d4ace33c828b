package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogArchiveTest {
  @TempDir Path tmp;

  static final Instant DAY1 = Instant.parse("2026-12-01T23:59:58Z");
  static final Instant DAY2 = Instant.parse("2026-12-02T00:00:01Z");

  static RawMessage raw(String text, Instant at) {
    return new RawMessage(text.getBytes(StandardCharsets.UTF_8), at, "192.0.2.7", "udp", false);
  }

  static String gunzip(Path p) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  List<String> files(String day) throws IOException {
    try (Stream<Path> s = Files.list(tmp.resolve(day))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aBatchGoesToEachHostsFileEvenPastTheOpenFileLimit() throws Exception {
    Instant at = Instant.parse("2026-12-02T10:00:00Z");
    List<RawMessage> raws = new java.util.ArrayList<>();
    List<String> hosts = new java.util.ArrayList<>();
    // More hosts than files kept open, interleaved with runs of one host: evictions and the
    // cached last stream must never send a line to the wrong file.
    for (int i = 0; i < 400; i++) {
      int h = i < 200 ? i : (i % 3 == 0 ? 7 : 150 + i % 5);
      raws.add(
          new RawMessage(
              ("line " + i).getBytes(StandardCharsets.UTF_8),
              at,
              i % 2 == 0 ? "192.0.2.7" : "2001:db8::1",
              "tcp",
              false));
      hosts.add("host-" + h);
    }
    try (SyslogArchive a = new SyslogArchive(tmp, Duration.ofDays(30), 1L << 30)) {
      a.write(raws, hosts.toArray(String[]::new), raws.size());
    }
    for (int i = 0; i < 400; i++) {
      String file = Files.readString(tmp.resolve("2026-12-02").resolve(hosts.get(i) + ".log"));
      String sender = i % 2 == 0 ? "192.0.2.7" : "2001:db8::1";
      assertThat(file).contains("2026-12-02T10:00:00Z " + sender + " line " + i + "\n");
    }
    long lines = 0;
    try (Stream<Path> s = Files.list(tmp.resolve("2026-12-02"))) {
      for (Path p : s.toList()) {
        lines += Files.readAllLines(p).size();
      }
    }
    assertThat(lines).isEqualTo(400);
  }

  @Test
  void aFinishedDayIsCompressedAndTheCurrentOneStaysPlain() throws Exception {
    try (SyslogArchive a = new SyslogArchive(tmp, Duration.ofDays(90), 1L << 30)) {
      a.write(raw("<13>one\nwith a newline", DAY1), "router");
      a.write(raw("<13>two", DAY1), "switch");
      a.write(raw("<13>three", DAY2), "router");
      // The host clock stepped back over midnight: the line stays in the current day.
      a.write(raw("<13>late", DAY1.minusSeconds(5)), "router");
      a.flush();
      a.compressClosedDays(DAY2);

      assertThat(files("2026-12-01")).containsExactly("router.log.gz", "switch.log.gz");
      assertThat(gunzip(tmp.resolve("2026-12-01/router.log.gz")))
          .isEqualTo("2026-12-01T23:59:58Z 192.0.2.7 <13>one with a newline\n");
      assertThat(gunzip(tmp.resolve("2026-12-01/switch.log.gz")))
          .isEqualTo("2026-12-01T23:59:58Z 192.0.2.7 <13>two\n");
      assertThat(files("2026-12-02")).containsExactly("router.log");
      assertThat(Files.readString(tmp.resolve("2026-12-02/router.log")))
          .isEqualTo(
              "2026-12-02T00:00:01Z 192.0.2.7 <13>three\n2026-12-01T23:59:53Z 192.0.2.7 <13>late\n");

      // The next day compresses day 2 once its writer has moved on.
      a.write(raw("<13>four", DAY2.plus(Duration.ofDays(1))), "router");
      a.compressClosedDays(DAY2.plus(Duration.ofDays(1)));
      assertThat(files("2026-12-02")).containsExactly("router.log.gz");
    }
  }

  @Test
  void anInterruptedCompressionIsRedoneAndNothingIsOverwritten() throws Exception {
    Path day = Files.createDirectories(tmp.resolve("2026-12-01"));
    Files.writeString(day.resolve("router.log"), "after restart\n");
    Files.writeString(day.resolve("router.log.gz.part"), "half written");
    try (SyslogArchive a = new SyslogArchive(tmp, Duration.ofDays(90), 1L << 30)) {
      // An earlier start compressed a file of that host already.
      Files.writeString(day.resolve("x.txt"), "");
      try (var out =
          new java.util.zip.GZIPOutputStream(Files.newOutputStream(day.resolve("router.log.gz")))) {
        out.write("before restart\n".getBytes(StandardCharsets.UTF_8));
      }
      a.compressClosedDays(DAY2);
    }
    assertThat(files("2026-12-01")).containsExactly("router.2.log.gz", "router.log.gz", "x.txt");
    assertThat(gunzip(day.resolve("router.log.gz"))).isEqualTo("before restart\n");
    assertThat(gunzip(day.resolve("router.2.log.gz"))).isEqualTo("after restart\n");
  }

  @Test
  void retentionDeletesOldDaysAndTheOldestOverTheSizeCap() throws Exception {
    try (SyslogArchive a = new SyslogArchive(tmp, Duration.ofDays(2), 160)) {
      for (int d = 0; d < 4; d++) {
        a.write(
            raw("<13>" + "x".repeat(40), Instant.parse("2026-12-0" + (d + 1) + "T12:00:00Z")), "h");
      }
      a.flush();
      a.enforceRetention(Instant.parse("2026-12-04T13:00:00Z"));
    }
    try (Stream<Path> s = Files.list(tmp)) {
      // 12-01 is past the 2-day retention; of the rest (76 bytes each) the oldest goes
      // for the 160-byte cap; the open day always stays.
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("2026-12-03", "2026-12-04");
    }
  }
}
