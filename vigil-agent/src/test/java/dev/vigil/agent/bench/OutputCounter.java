package dev.vigil.agent.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Messages a target has written to its output so far, read from the files themselves (the same for
 * every target: nothing asked of the process under test). Incremental: each call reads only what
 * was added since the last one.
 */
interface OutputCounter {
  long count() throws IOException;

  /** Lines of a file that grows (rsyslog's and syslog-ng's output). */
  static OutputCounter lines(Path file) {
    return new OutputCounter() {
      private long offset;
      private long lines;
      private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);

      @Override
      public long count() throws IOException {
        if (!Files.exists(file)) {
          return 0;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
          int n;
          while ((n = ch.read(buf.clear(), offset)) > 0) {
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
              if (a[i] == '\n') {
                lines++;
              }
            }
            offset += n;
          }
        }
        return lines;
      }
    };
  }

  /**
   * Records in the gateway's journal: segment files {@code segment-<offset>.log} of records {@code
   * [int length][int crc][payload]}. A record counts once it is wholly in the file (what a restart
   * would replay); a segment is complete once a later one exists (segments roll between records).
   */
  static OutputCounter journal(Path dir) {
    return new OutputCounter() {
      private long base = -1;
      private long offset;
      private long records;
      private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);

      @Override
      public long count() throws IOException {
        TreeMap<Long, Path> segments = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
          return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
          s.filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.log"))
              .forEach(
                  p -> {
                    String n = p.getFileName().toString();
                    segments.put(Long.parseLong(n.substring(8, 28)), p);
                  });
        }
        if (segments.isEmpty()) {
          return records;
        }
        if (base < 0) {
          base = segments.firstKey();
        }
        while (true) {
          Path seg = segments.get(base);
          if (seg == null) {
            return records;
          }
          try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
            while (true) {
              buf.clear();
              int n = ch.read(buf, offset);
              if (n <= 0) {
                break;
              }
              int at = 0;
              while (at + 8 <= n) {
                int len = buf.getInt(at);
                if (at + 8 + len > n) {
                  break;
                }
                at += 8 + len;
                records++;
              }
              if (at == 0) {
                if (n == buf.capacity() && offset + 8 + buf.getInt(0) <= ch.size()) {
                  // One whole record larger than the buffer: step over it by its header.
                  offset += 8 + buf.getInt(0);
                  records++;
                  continue;
                }
                break;
              }
              offset += at;
            }
          }
          Long next = segments.higherKey(base);
          if (next == null) {
            return records;
          }
          base = next;
          offset = 0;
        }
      }
    };
  }
}
