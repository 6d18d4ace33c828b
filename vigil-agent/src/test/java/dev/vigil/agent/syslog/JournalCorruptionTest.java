package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.syslog.SyslogSpec.Fsync;
import dev.vigil.spec.syslog.SyslogSpec.WhenFull;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged journal records: the reader and the recovery on open resynchronise at the next record
 * whose checksum holds, lose only the damaged records, count them and log one line per damaged
 * region. Records are numbered so the test knows exactly which ones a flip destroyed.
 */
class JournalCorruptionTest {
  @TempDir Path dir;

  private final List<String> warnings = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            synchronized (warnings) {
              warnings.add(r.getMessage());
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Held here: the log manager keeps loggers only weakly, and the handler is on this one. */
  private final Logger logger = Logger.getLogger(Journal.class.getName());

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void unlisten() {
    logger.removeHandler(capture);
  }

  static String payload(int i) {
    return String.format("record-%06d-%s", i, "p".repeat(40 + i % 37));
  }

  /** Writes n numbered records; returns each record's [start, end) offset. */
  private long[][] write(int n, long segmentBytes) throws IOException {
    long[][] at = new long[n][];
    try (Journal j = Journal.open(dir, segmentBytes, 1L << 30, Fsync.NEVER, WhenFull.BLOCK)) {
      long prev = j.writtenOffset();
      for (int i = 0; i < n; i++) {
        long end = j.append(payload(i).getBytes(StandardCharsets.UTF_8));
        at[i] = new long[] {prev, end};
        prev = end;
      }
    }
    return at;
  }

  /** XORs {@code count} bytes from the journal offset {@code offset} (segments by name). */
  private void flip(long offset, int count) throws IOException {
    List<Path> segs = segments();
    for (int k = 0; k < count; k++) {
      long o = offset + k;
      Path seg = null;
      long base = 0;
      for (Path p : segs) {
        long b = base(p);
        if (b <= o) {
          seg = p;
          base = b;
        }
      }
      byte[] bytes = Files.readAllBytes(seg);
      bytes[(int) (o - base)] ^= (byte) 0xA5;
      Files.write(seg, bytes);
    }
  }

  private static long base(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring("segment-".length(), n.length() - ".log".length()));
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
  }

  private record Replay(Set<Integer> missing, long corruptRegions, long skippedBytes) {}

  private Replay reopenAndRead(int n, long segmentBytes) throws IOException {
    Set<Integer> seen = new TreeSet<>();
    try (Journal j = Journal.open(dir, segmentBytes, 1L << 30, Fsync.NEVER, WhenFull.BLOCK)) {
      Journal.Reader r = j.reader();
      List<Journal.Record> batch;
      while (!(batch = r.read(1 << 20, 1000)).isEmpty()) {
        for (Journal.Record rec : batch) {
          String s = new String(rec.payload(), StandardCharsets.UTF_8);
          int i = Integer.parseInt(s.substring(7, 13));
          assertThat(s).isEqualTo(payload(i));
          assertThat(seen.add(i)).as("record %d read twice", i).isTrue();
        }
      }
      Set<Integer> missing = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        if (!seen.contains(i)) {
          missing.add(i);
        }
      }
      return new Replay(missing, j.corruptRecords(), j.corruptSkippedBytes() + j.tailCutBytes());
    }
  }

  /** Indices of the records whose bytes overlap [from, from + count). */
  private static Set<Integer> overlapping(long[][] at, long from, int count) {
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < at.length; i++) {
      if (at[i][0] < from + count && from < at[i][1]) {
        out.add(i);
      }
    }
    return out;
  }

  private void assertOnlyDamagedLost(int n, long segmentBytes, long[][] at, long from, int count)
      throws IOException {
    flip(from, count);
    Replay r = reopenAndRead(n, segmentBytes);
    assertThat(r.missing()).isEqualTo(overlapping(at, from, count));
    assertThat(r.skippedBytes()).isPositive();
    synchronized (warnings) {
      assertThat(warnings).as("one log line per damaged region").hasSize(1);
      assertThat(warnings.get(0)).contains("journal").contains("damaged");
    }
  }

  @Test
  void sixteenFlippedBytesInTheOnlySegmentLoseOnlyTheirRecord() throws IOException {
    int n = 5000;
    long[][] at = write(n, 64L << 20);
    long from = at[2500][0] + 20;
    assertOnlyDamagedLost(n, 64L << 20, at, from, 16);
    // The file was not cut at the damage: every record after it is still on disk.
    assertThat(Files.size(segments().get(0))).isEqualTo(at[n - 1][1]);
  }

  @Test
  void damageInTheFirstOfTwoSegmentsLosesOnlyTheDamagedRecord() throws IOException {
    int n = 4000;
    long seg = 200_000;
    long[][] at = write(n, seg);
    assertThat(segments()).hasSizeGreaterThanOrEqualTo(2);
    assertOnlyDamagedLost(n, seg, at, at[700][0] + 30, 16);
  }

  @Test
  void damagedFirstRecord() throws IOException {
    long[][] at = write(300, 1 << 20);
    assertOnlyDamagedLost(300, 1 << 20, at, at[0][0] + 10, 4);
  }

  @Test
  void damagedLengthFieldOfAMiddleRecord() throws IOException {
    long[][] at = write(300, 1 << 20);
    // The length field itself: the reader cannot know where the record ends.
    assertOnlyDamagedLost(300, 1 << 20, at, at[150][0], 4);
  }

  @Test
  void zeroedLengthInTheMiddleIsDamageNotTheEnd() throws IOException {
    long[][] at = write(300, 1 << 20);
    Path seg = segments().get(0);
    byte[] bytes = Files.readAllBytes(seg);
    for (int k = 0; k < 4; k++) {
      bytes[(int) at[100][0] + k] = 0;
    }
    Files.write(seg, bytes);
    Replay r = reopenAndRead(300, 1 << 20);
    assertThat(r.missing()).containsExactly(100);
    assertThat(r.corruptRegions()).isEqualTo(1);
  }

  @Test
  void damagedLastRecordOfTheLastSegment() throws IOException {
    long[][] at = write(300, 1 << 20);
    assertOnlyDamagedLost(300, 1 << 20, at, at[299][1] - 5, 3);
  }

  @Test
  void damageAcrossASegmentBoundary() throws IOException {
    int n = 3000;
    long seg = 50_000;
    long[][] at = write(n, seg);
    List<Path> segs = segments();
    assertThat(segs).hasSizeGreaterThanOrEqualTo(3);
    long boundary = base(segs.get(1));
    // The last bytes of one segment and the first of the next: two records, one per segment.
    flip(boundary - 6, 12);
    Replay r = reopenAndRead(n, seg);
    assertThat(r.missing()).isEqualTo(overlapping(at, boundary - 6, 12)).hasSize(2);
    assertThat(r.corruptRegions()).isEqualTo(2);
    synchronized (warnings) {
      assertThat(warnings).hasSize(2);
    }
  }

  @Test
  void damageInTheFirstOfSeveralSegmentsAndInTheMiddleOfAnother() throws IOException {
    int n = 6000;
    long seg = 60_000;
    long[][] at = write(n, seg);
    assertThat(segments()).hasSizeGreaterThanOrEqualTo(5);
    flip(at[10][0] + 12, 16);
    flip(at[4000][0] + 9, 16);
    Replay r = reopenAndRead(n, seg);
    Set<Integer> expected = new TreeSet<>(overlapping(at, at[10][0] + 12, 16));
    expected.addAll(overlapping(at, at[4000][0] + 9, 16));
    assertThat(r.missing()).isEqualTo(expected);
    assertThat(r.corruptRegions()).isEqualTo(2);
  }

  @Test
  void damageFoundWhileRunningIsSkippedToTheNextValidRecord() throws IOException {
    int n = 2000;
    long seg = 40_000;
    Set<Integer> seen = new TreeSet<>();
    try (Journal j = Journal.open(dir, seg, 1L << 30, Fsync.NEVER, WhenFull.BLOCK)) {
      long[][] at = new long[n][];
      long prev = j.writtenOffset();
      for (int i = 0; i < n; i++) {
        long end = j.append(payload(i).getBytes(StandardCharsets.UTF_8));
        at[i] = new long[] {prev, end};
        prev = end;
      }
      j.flush();
      // Damage on disk under a running journal (bit rot in an older segment).
      flip(at[300][0] + 15, 8);
      Journal.Reader r = j.reader();
      List<Journal.Record> batch;
      while (!(batch = r.read(1 << 20, 1000)).isEmpty()) {
        for (Journal.Record rec : batch) {
          seen.add(
              Integer.parseInt(new String(rec.payload(), StandardCharsets.UTF_8).substring(7, 13)));
        }
      }
      assertThat(seen).hasSize(n - 1).doesNotContain(300);
      assertThat(j.corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void aTornTailIsCutWithALogLine() throws IOException {
    long[][] at = write(100, 1 << 20);
    Path seg = segments().get(0);
    byte[] bytes = Files.readAllBytes(seg);
    byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length + 11);
    torn[bytes.length + 3] = 90;
    Files.write(seg, torn);
    Replay r = reopenAndRead(100, 1 << 20);
    assertThat(r.missing()).isEmpty();
    assertThat(Files.size(seg)).isEqualTo(at[99][1]);
    synchronized (warnings) {
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("incomplete");
    }
  }
}
