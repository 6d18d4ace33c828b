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
    try (FileChannel ch =
        FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 'x', 'y'}));
    }
    try (Journal j = Journal.open(dir, 1 << 20, 1 << 20, Fsync.ALWAYS, WhenFull.BLOCK)) {
      assertThat(Files.size(seg)).isEqualTo(size);
      assertThat(readAll(j.reader())).containsExactly("complete one", "complete two");
      j.append(b("after recovery"));
      j.flush();
      assertThat(readAll(j.reader()))
          .containsExactly("complete one", "complete two", "after recovery");
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

  @Test
  void dropOldestCountsOnlyRecordsTheReaderNeverHadAndLogsIt() throws IOException {
    List<String> warnings = new ArrayList<>();
    java.util.logging.Handler h =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            warnings.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    // A local reference: the log manager holds loggers only weakly.
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Journal.class.getName());
    logger.addHandler(h);
    try (Journal j = Journal.open(dir, 256, 1024, Fsync.NEVER, WhenFull.DROP_OLDEST)) {
      Journal.Reader r = j.reader();
      java.util.Set<String> read = new java.util.HashSet<>();
      for (int i = 0; i < 400; i++) {
        j.append(b(String.format("%03d-%s", i, "y".repeat(40))));
        j.flush();
        if (i % 7 == 0) {
          // The pusher has these in hand (sending, not yet committed) when their segment goes.
          for (Journal.Record rec : r.read(1 << 20, 3)) {
            read.add(new String(rec.payload(), StandardCharsets.UTF_8));
          }
        }
      }
      for (String s : readAll(r)) {
        read.add(s);
      }
      assertThat(j.droppedRecords()).isPositive();
      assertThat(read.size() + j.droppedRecords()).isEqualTo(400);
    } finally {
      logger.removeHandler(h);
    }
    assertThat(warnings).filteredOn(w -> w.contains("drop-oldest")).hasSize(1);
  }

  /** Frames {@code payloads} the way the receive path does: header and CRC outside the lock. */
  static RecordEncoder framed(List<String> payloads) {
    RecordEncoder enc = new RecordEncoder(64);
    for (String p : payloads) {
      int at = enc.beginRecord();
      byte[] bytes = b(p);
      for (byte x : bytes) {
        enc.writeInt(x); // a payload of 4 bytes per input byte, still arbitrary content
      }
      enc.endRecord(at);
    }
    return enc;
  }

  static String unframe(byte[] payload) {
    byte[] out = new byte[payload.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = payload[4 * i + 3];
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void aFramedBatchRollsSegmentsBetweenRecordsAndSurvivesReopen() throws IOException {
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      payloads.add("batch-" + i + "-" + "x".repeat(i % 37));
    }
    // One record larger than a segment: it goes alone into a fresh one.
    payloads.add(100, "big-" + "y".repeat(300));
    RecordEncoder enc = framed(payloads);
    try (Journal j = Journal.open(dir, 512, 1 << 30, Fsync.NEVER, WhenFull.BLOCK)) {
      long end = j.appendFramed(enc.array(), 0, enc.position());
      assertThat(end).isEqualTo(enc.position());
      j.flush();
    }
    assertThat(segments()).hasSizeGreaterThan(10);
    try (Journal j = Journal.open(dir, 512, 1 << 30, Fsync.NEVER, WhenFull.BLOCK)) {
      // Reopening scans the last segment's tail: every record must still be whole and in order.
      assertThat(j.writtenOffset()).isEqualTo(enc.position());
      List<String> back = new ArrayList<>();
      Journal.Reader r = j.reader();
      List<Journal.Record> batch;
      while (!(batch = r.read(1 << 20, 1000)).isEmpty()) {
        for (Journal.Record rec : batch) {
          back.add(unframe(rec.payload()));
        }
      }
      assertThat(back).containsExactlyElementsOf(payloads);
    }
    for (Path seg : segments()) {
      // Each segment file starts at a record: its first header is a sane length.
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(4);
        ch.read(h, 0);
        h.flip();
        assertThat(h.getInt()).isBetween(1, 2000);
      }
    }
  }

  @Test
  void appendAndAppendFramedWriteTheSameBytes() throws IOException {
    Path a = dir.resolve("a");
    Path f = dir.resolve("f");
    List<String> payloads = List.of("one", "two", "three", "ü");
    try (Journal j = Journal.open(a, 1 << 20, 1 << 20, Fsync.NEVER, WhenFull.BLOCK)) {
      for (String p : payloads) {
        RecordEncoder one = new RecordEncoder(16);
        for (byte x : b(p)) {
          one.writeInt(x);
        }
        j.append(one.toByteArray());
      }
    }
    try (Journal j = Journal.open(f, 1 << 20, 1 << 20, Fsync.NEVER, WhenFull.BLOCK)) {
      RecordEncoder enc = framed(payloads);
      j.appendFramed(enc.array(), 0, enc.position());
    }
    assertThat(Files.readAllBytes(f.resolve("segment-00000000000000000000.log")))
        .isEqualTo(Files.readAllBytes(a.resolve("segment-00000000000000000000.log")));
  }

  @Test
  void theReaderSeesEveryRecordAcrossItsChunksWhileTheWriterAppends() throws IOException {
    java.util.Random random = new java.util.Random(42);
    List<byte[]> sent = new ArrayList<>();
    List<byte[]> got = new ArrayList<>();
    try (Journal j = Journal.open(dir, 64 << 20, 1L << 30, Fsync.NEVER, WhenFull.BLOCK)) {
      Journal.Reader r = j.reader();
      for (int round = 0; round < 6; round++) {
        // Sizes that cross the reader's 1 MiB chunk at every kind of offset, one record bigger
        // than a chunk, and reads that stop in the middle of what was written.
        for (int i = 0; i < 700; i++) {
          byte[] p = new byte[round == 3 && i == 350 ? (3 << 19) : 100 + random.nextInt(2000)];
          random.nextBytes(p);
          p[0] = (byte) round;
          sent.add(p);
          j.append(p);
          if (i % 97 == 0) {
            j.flush();
            for (Journal.Record rec : r.read(300_000, 150)) {
              got.add(rec.payload());
            }
          }
        }
      }
      j.flush();
      List<Journal.Record> batch;
      while (!(batch = r.read(1 << 20, 1000)).isEmpty()) {
        for (Journal.Record rec : batch) {
          got.add(rec.payload());
        }
      }
    }
    assertThat(got).hasSameSizeAs(sent);
    for (int i = 0; i < sent.size(); i++) {
      assertThat(got.get(i)).as("record %d", i).isEqualTo(sent.get(i));
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
  }
}
