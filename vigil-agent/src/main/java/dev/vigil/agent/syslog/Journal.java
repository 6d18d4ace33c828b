package dev.vigil.agent.syslog;

import dev.vigil.spec.syslog.SyslogSpec.Fsync;
import dev.vigil.spec.syslog.SyslogSpec.WhenFull;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Append-only disk journal between the listeners and the Loki pusher.
 *
 * <p>Records live in segment files named by the logical offset of their first byte; a record is
 * {@code [int length][int crc32c][payload]}. The pusher reads from the committed offset and
 * commits the end of each batch Loki accepted; segments wholly below the committed offset are
 * deleted. On open, a torn or corrupt tail of the last segment is cut off, so a crash leaves a
 * readable journal.
 *
 * <p>Appends are buffered only until the end of the network read that produced them ({@link
 * #flush()}, at most 256 KiB and 50 ms), then written to the kernel, so a {@code kill -9} of the
 * agent loses at most the messages of the read batch in progress. The fsync policy decides what a
 * power loss or kernel crash can lose: {@code always} nothing that {@link #sync()} covered (called
 * after each network read), {@code interval} up to the fsync interval, {@code never} what the
 * kernel had not written back (typically up to 30 s).
 */
public final class Journal implements Closeable {
  private static final int HEADER = 8;
  private static final String COMMIT_FILE = "committed";

  private final Path dir;
  private final long segmentBytes;
  private final long maxBytes;
  private final Fsync fsync;
  private final WhenFull whenFull;
  private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
  private final AtomicLong droppedRecords = new AtomicLong();
  private FileChannel active;
  private long activeBase;
  /** Offset visible to readers: records written to the segment file. */
  private volatile long written;
  /** Offset past the last appended record, buffered or not. */
  private volatile long appended;
  private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
  private volatile long committed;
  private boolean dirty;

  private Journal(Path dir, long segmentBytes, long maxBytes, Fsync fsync, WhenFull whenFull) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.maxBytes = maxBytes;
    this.fsync = fsync;
    this.whenFull = whenFull;
  }

  public static Journal open(
      Path dir, long segmentBytes, long maxBytes, Fsync fsync, WhenFull whenFull)
      throws IOException {
    Files.createDirectories(dir);
    Journal j = new Journal(dir, segmentBytes, maxBytes, fsync, whenFull);
    j.recover();
    return j;
  }

  private void recover() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.log"))
          .forEach(p -> segments.put(baseOf(p), p));
    }
    Path commitFile = dir.resolve(COMMIT_FILE);
    long c = -1;
    if (Files.exists(commitFile)) {
      String text = Files.readString(commitFile).trim();
      if (text.matches("\\d{1,19}")) {
        c = Long.parseLong(text);
      }
    }
    if (segments.isEmpty()) {
      long base = Math.max(0, c);
      openActive(base);
      written = base;
      appended = base;
      committed = base;
      return;
    }
    Map.Entry<Long, Path> last = segments.lastEntry();
    long validLength = scanValidLength(last.getValue());
    activeBase = last.getKey();
    active = FileChannel.open(last.getValue(), StandardOpenOption.WRITE, StandardOpenOption.READ);
    active.truncate(validLength);
    active.position(validLength);
    written = activeBase + validLength;
    appended = written;
    long first = segments.firstKey();
    committed = Math.min(Math.max(c, first), written);
    deleteCommittedSegments();
  }

  private static long scanValidLength(Path segment) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (pos + HEADER <= size) {
        header.clear();
        ch.read(header, pos);
        header.flip();
        int len = header.getInt();
        int crc = header.getInt();
        if (len <= 0 || pos + HEADER + len > size) {
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        ch.read(payload, pos + HEADER);
        if (crc(payload.array()) != crc) {
          break;
        }
        pos += HEADER + len;
      }
      return pos;
    }
  }

  private static int crc(byte[] payload) {
    return crc(payload, 0, payload.length);
  }

  private static long baseOf(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring("segment-".length(), n.length() - ".log".length()));
  }

  private Path segmentPath(long base) {
    return dir.resolve(String.format("segment-%020d.log", base));
  }

  private void openActive(long base) throws IOException {
    Path p = segmentPath(base);
    active =
        FileChannel.open(
            p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    active.position(active.size());
    activeBase = base;
    segments.put(base, p);
  }

  /**
   * Appends one record; returns the offset just past it. Records are gathered in a small buffer
   * and written to the segment by {@link #flush()} (after each network read batch, and by the
   * service's timer), so a busy listener costs one write call per batch instead of per message.
   */
  public long append(byte[] payload) throws IOException {
    byte[] framed = new byte[HEADER + payload.length];
    putInt(framed, 0, payload.length);
    putInt(framed, 4, crc(payload));
    System.arraycopy(payload, 0, framed, HEADER, payload.length);
    return appendFramed(framed, 0, framed.length);
  }

  /** Size of the record header ({@code [int length][int crc32c]}) before each payload. */
  static final int RECORD_HEADER = HEADER;

  /** CRC-32C of a payload, as the record header carries it. */
  static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  /**
   * Appends whole records already framed by the caller ({@code [length][crc32c][payload]}...,
   * checksums computed outside this lock); returns the offset just past the last. A record never
   * straddles two segments: the segment rolls between records.
   */
  public synchronized long appendFramed(byte[] b, int off, int len) throws IOException {
    int pos = off;
    int end = off + len;
    while (pos < end) {
      long room = segmentBytes - (appended - activeBase);
      int chunkEnd = pos;
      while (chunkEnd < end) {
        int size = HEADER + getInt(b, chunkEnd);
        // A record larger than a segment goes alone into an empty one.
        if (chunkEnd - pos + (long) size > room && (chunkEnd > pos || appended > activeBase)) {
          break;
        }
        chunkEnd += size;
      }
      if (chunkEnd == pos) {
        roll();
        continue;
      }
      write(b, pos, chunkEnd - pos);
      pos = chunkEnd;
    }
    dirty = true;
    if (whenFull == WhenFull.DROP_OLDEST) {
      while (pendingBytes() > maxBytes && segments.size() > 1) {
        dropOldestSegment();
      }
    }
    return appended;
  }

  private void roll() throws IOException {
    flush();
    if (fsync != Fsync.NEVER) {
      active.force(false);
    }
    active.close();
    openActive(appended);
  }

  private void write(byte[] b, int off, int len) throws IOException {
    if (len > buffer.remaining()) {
      flush();
    }
    if (len > buffer.capacity()) {
      ByteBuffer big = ByteBuffer.wrap(b, off, len);
      while (big.hasRemaining()) {
        active.write(big);
      }
      appended += len;
      written = appended;
    } else {
      buffer.put(b, off, len);
      appended += len;
    }
  }

  /** Writes buffered records to the segment file, where the reader and a restart see them. */
  public synchronized void flush() throws IOException {
    if (buffer.position() == 0) {
      return;
    }
    buffer.flip();
    while (buffer.hasRemaining()) {
      active.write(buffer);
    }
    buffer.clear();
    written = appended;
  }

  private void dropOldestSegment() throws IOException {
    Map.Entry<Long, Path> oldest = segments.firstEntry();
    Long next = segments.higherKey(oldest.getKey());
    if (next == null) {
      return;
    }
    long from = Math.max(committed, oldest.getKey());
    droppedRecords.addAndGet(countRecords(oldest.getValue(), from - oldest.getKey()));
    persistCommit(next);
    committed = next;
    segments.remove(oldest.getKey());
    Files.deleteIfExists(oldest.getValue());
  }

  private static long countRecords(Path segment, long fromPos) throws IOException {
    long n = 0;
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long pos = fromPos;
      ByteBuffer header = ByteBuffer.allocate(4);
      while (pos + HEADER <= ch.size()) {
        header.clear();
        ch.read(header, pos);
        header.flip();
        int len = header.getInt();
        if (len <= 0) {
          break;
        }
        pos += HEADER + len;
        n++;
      }
    }
    return n;
  }

  /** fsync under the {@code always} policy; called after each network read batch. */
  public void syncIfAlways() throws IOException {
    flush();
    if (fsync == Fsync.ALWAYS) {
      sync();
    }
  }

  /**
   * Forces the active segment to disk. The fsync runs outside the append lock: a slow disk must
   * not stall the listeners (a segment roll forces the old segment itself).
   */
  public void sync() throws IOException {
    FileChannel ch;
    synchronized (this) {
      flush();
      if (!dirty) {
        return;
      }
      ch = active;
      dirty = false;
    }
    try {
      ch.force(false);
    } catch (java.nio.channels.ClosedChannelException e) {
      // Rolled or closed meanwhile; both force before closing.
    }
  }

  /** Bytes accepted but not yet committed (the pusher's lag). */
  public long pendingBytes() {
    return appended - committed;
  }

  public boolean hasRoom() {
    return pendingBytes() < maxBytes;
  }

  public long writtenOffset() {
    return written;
  }

  public long committedOffset() {
    return committed;
  }

  public long droppedRecords() {
    return droppedRecords.get();
  }

  public long budgetBytes() {
    return maxBytes;
  }

  /** Marks everything before {@code offset} as delivered. Offsets only move forward. */
  public synchronized void commit(long offset) throws IOException {
    if (offset <= committed) {
      return;
    }
    if (offset > written) {
      throw new IllegalArgumentException("commit " + offset + " beyond written " + written);
    }
    persistCommit(offset);
    committed = offset;
    deleteCommittedSegments();
  }

  private void persistCommit(long offset) throws IOException {
    Path tmp = dir.resolve(COMMIT_FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((offset + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      if (fsync != Fsync.NEVER) {
        ch.force(false);
      }
    }
    try {
      Files.move(tmp, dir.resolve(COMMIT_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(COMMIT_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void deleteCommittedSegments() throws IOException {
    List<Long> bases = new ArrayList<>(segments.keySet());
    for (int i = 0; i + 1 < bases.size(); i++) {
      if (bases.get(i + 1) <= committed) {
        Files.deleteIfExists(segments.remove(bases.get(i)));
      }
    }
  }

  /** Bytes the reader skipped because a record was damaged (disk corruption). */
  public long corruptSkippedBytes() {
    return corruptSkippedBytes.get();
  }

  private final AtomicLong corruptSkippedBytes = new AtomicLong();

  static final class CorruptRecordException extends IOException {
    CorruptRecordException(String message) {
      super(message);
    }
  }

  /** A journal record read back: its payload and the offset just past it. */
  public record Record(long end, byte[] payload) {}

  /** Sequential reader for the single consumer (the pusher). Starts at the committed offset. */
  public final class Reader {
    private long position = committed;

    public long position() {
      return position;
    }

    /** Rewinds to the committed offset, so an unacknowledged batch is read again. */
    public void rewind() {
      position = committed;
    }

    /** Reads records up to about {@code maxBytes} of payload; empty when caught up. */
    public List<Record> read(long maxBytes, int maxRecords) throws IOException {
      List<Record> out = new ArrayList<>();
      if (position < committed) {
        position = committed;
      }
      long total = 0;
      long end = written;
      while (position < end && out.size() < maxRecords && total < maxBytes) {
        Map.Entry<Long, Path> seg = segments.floorEntry(position);
        if (seg == null) {
          position = committed;
          break;
        }
        Record r;
        try {
          r = readAt(seg.getValue(), seg.getKey(), position);
        } catch (java.nio.file.NoSuchFileException e) {
          // Dropped under drop-oldest while we were reading it.
          position = Math.max(position, committed);
          continue;
        } catch (CorruptRecordException e) {
          // A damaged record must not stall delivery forever: skip the rest of its segment.
          Long next = segments.higherKey(seg.getKey());
          long skipTo = next == null ? end : next;
          corruptSkippedBytes.addAndGet(skipTo - position);
          java.util.logging.Logger.getLogger(Journal.class.getName())
              .severe(e.getMessage() + "; skipping " + (skipTo - position) + " bytes of " + seg.getValue());
          position = skipTo;
          continue;
        }
        if (r == null) {
          Long next = segments.higherKey(seg.getKey());
          if (next == null || next <= position) {
            break;
          }
          position = next;
          continue;
        }
        out.add(r);
        total += r.payload.length;
        position = r.end;
      }
      return out;
    }

    private FileChannel channel;
    private long channelBase = -1;
    /**
     * Bytes of the segment at {@code channelBase} from offset {@code chunkStart} (absolute), read
     * in one call: records are parsed from here instead of two reads each. Only bytes below the
     * written offset at read time are in it, so it never holds a record still being written.
     */
    private final byte[] chunk = new byte[1 << 20];
    private long chunkStart;
    private int chunkLength;

    private Record readAt(Path segment, long base, long pos) throws IOException {
      if (channelBase != base || channel == null) {
        if (channel != null) {
          channel.close();
        }
        channel = FileChannel.open(segment, StandardOpenOption.READ);
        channelBase = base;
        chunkLength = 0;
      }
      if (!inChunk(pos, HEADER) && fill(pos, base) < HEADER) {
        return null;
      }
      int at = (int) (pos - chunkStart);
      int len = getInt(chunk, at);
      int crc = getInt(chunk, at + 4);
      if (len <= 0) {
        return null;
      }
      if (len > segmentBytes + (64 << 20)) {
        throw new CorruptRecordException("journal record at offset " + pos + " has length " + len);
      }
      byte[] payload;
      if (inChunk(pos, HEADER + len)) {
        payload = java.util.Arrays.copyOfRange(chunk, at + HEADER, at + HEADER + len);
      } else if (HEADER + len <= chunk.length) {
        if (fill(pos, base) < HEADER + len) {
          return null;
        }
        payload = java.util.Arrays.copyOfRange(chunk, HEADER, HEADER + len);
      } else {
        // Larger than the chunk: read it on its own.
        ByteBuffer big = ByteBuffer.allocate(len);
        long off = pos - base + HEADER;
        while (big.hasRemaining()) {
          if (channel.read(big, off + big.position()) < 0) {
            return null;
          }
        }
        payload = big.array();
      }
      if (crc(payload) != crc) {
        throw new CorruptRecordException("journal record at offset " + pos + " fails its checksum");
      }
      return new Record(pos + HEADER + len, payload);
    }

    private boolean inChunk(long pos, int n) {
      return chunkLength > 0 && pos >= chunkStart && pos + n <= chunkStart + chunkLength;
    }

    /** Reads the chunk from {@code pos} up to the written offset; returns the bytes read. */
    private int fill(long pos, long base) throws IOException {
      int want = (int) Math.min(chunk.length, Math.max(0, written - pos));
      ByteBuffer into = ByteBuffer.wrap(chunk, 0, want);
      long off = pos - base;
      while (into.hasRemaining()) {
        int n = channel.read(into, off + into.position());
        if (n < 0) {
          break;
        }
      }
      chunkStart = pos;
      chunkLength = into.position();
      return chunkLength;
    }

    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  public Reader reader() {
    return new Reader();
  }

  @Override
  public synchronized void close() throws IOException {
    if (active != null && active.isOpen()) {
      flush();
      if (fsync != Fsync.NEVER) {
        active.force(false);
      }
      active.close();
    }
  }
}
