package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.syslog.SyslogSpec.Fsync;
import dev.vigil.spec.syslog.SyslogSpec.WhenFull;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> readAll(Journal.Reader r) throws IOException {
    List<String> out = new ArrayList<>();
    List<Journal.Record> batch;
    while (!(batch = r.read(1 << 20, 1000)).isEmpty()) {
      for (Journal.Record rec : batch) {
        out.add(new String(rec.payload(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Test
  void recordsSurviveReopenAndOnlyUncommittedAreReplayed() throws IOException {
    List<Journal.Record> first;
    try (Journal j = Journal.open(dir, 256, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      for (int i = 0; i < 50; i++) {
        j.append(b("message " + i));
      }
      Journal.Reader r = j.reader();
      j.flush();
      first = r.read(1 << 20, 20);
      assertThat(first).hasSize(20);
      j.commit(first.get(19).end());
    }
    try (Journal j = Journal.open(dir, 256, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      List<String> replay = readAll(j.reader());
      assertThat(replay).hasSize(30);
      assertThat(replay.get(0)).isEqualTo("message 20");
      assertThat(replay.get(29)).isEqualTo("message 49");
    }
  }

  @Test
  void appendsAreInvisibleToTheReaderUntilFlushed() throws IOException {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 20, Fsync.NEVER, WhenFull.BLOCK)) {
      j.append(b("buffered"));
      Journal.Reader r = j.reader();
      assertThat(r.read(1 << 20, 10)).isEmpty();
      assertThat(j.pendingBytes()).isPositive();
      j.flush();
      assertThat(readAll(r)).containsExactly("buffered");
    }
  }

  @Test
  void segmentsRollAndCommittedOnesAreDeleted() throws IOException {
    try (Journal j = Journal.open(dir, 128, 1 << 20, Fsync.NEVER, WhenFull.BLOCK)) {
      for (int i = 0; i < 100; i++) {
        j.append(b("payload-" + i));
      }
      j.flush();
      assertThat(segments()).hasSizeGreaterThan(5);
      Journal.Reader r = j.reader();
      List<String> all = readAll(r);
      assertThat(all).hasSize(100);
      j.commit(r.position());
      assertThat(segments()).hasSize(1);
      assertThat(j.pendingBytes()).isZero();
    }
  }

  @Test
  void tornTailIsCutOffOnOpen() throws IOException {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      j.append(b("complete one"));
      j.append(b("complete two"));
    }
    Path seg = segments().get(0);
    long size = Files.size(seg);
    // A crash mid-write: half a record header and body at the end.
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 'x', 'y'}));
    }
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      assertThat(Files.size(seg)).isEqualTo(size);
      assertThat(readAll(j.reader())).containsExactly("complete one", "complete two");
      j.append(b("after recovery"));
      j.flush();
      assertThat(readAll(j.reader())).containsExactly("complete one", "complete two", "after recovery");
    }
  }

  @Test
  void corruptRecordInTheTailIsCutAtIt() throws IOException {
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      j.append(b("good"));
      j.append(b("flipped"));
    }
    Path seg = segments().get(0);
    byte[] bytes = Files.readAllBytes(seg);
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(seg, bytes);
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      assertThat(readAll(j.reader())).containsExactly("good");
    }
  }

  @Test
  void damagedRecordInAnOlderSegmentIsSkippedNotStalling() throws IOException {
    try (Journal j = Journal.open(dir, 64, 1 << 20, Fsync.NEVER, WhenFull.BLOCK)) {
      for (int i = 0; i < 12; i++) {
        j.append(b(String.format("record-%02d-%s", i, "z".repeat(20))));
      }
      j.flush();
      Path first = segments().get(0);
      byte[] bytes = Files.readAllBytes(first);
      bytes[bytes.length - 2] ^= 0x55;
      Files.write(first, bytes);
      List<String> read = readAll(j.reader());
      assertThat(read).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("record-"));
      assertThat(read.get(read.size() - 1)).startsWith("record-11");
      assertThat(j.corruptSkippedBytes()).isPositive();
    }
  }

  @Test
  void blockPolicyReportsFullButKeepsEverything() throws IOException {
    try (Journal j = Journal.open(dir, 256, 1024, Fsync.NEVER, WhenFull.BLOCK)) {
      int n = 0;
      while (j.hasRoom()) {
        j.append(b("x".repeat(50)));
        n++;
      }
      j.flush();
      assertThat(j.pendingBytes()).isGreaterThanOrEqualTo(1024);
      assertThat(readAll(j.reader())).hasSize(n);
      assertThat(j.droppedRecords()).isZero();
    }
  }

  @Test
  void dropOldestPolicyDeletesOldSegmentsAndCountsThem() throws IOException {
    try (Journal j = Journal.open(dir, 256, 1024, Fsync.NEVER, WhenFull.DROP_OLDEST)) {
      for (int i = 0; i < 200; i++) {
        j.append(b(String.format("%03d-%s", i, "y".repeat(40))));
      }
      j.flush();
      assertThat(j.pendingBytes()).isLessThanOrEqualTo(1024 + 256);
      List<String> left = readAll(j.reader());
      assertThat(j.droppedRecords() + left.size()).isEqualTo(200);
      assertThat(left.get(left.size() - 1)).startsWith("199-");
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
  }
}
