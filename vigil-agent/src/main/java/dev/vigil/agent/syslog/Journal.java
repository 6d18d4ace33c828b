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
 * {@code [int length][int crc32c][payload]}. The pusher reads from the committed offset and commits
 * the end of each batch Loki accepted; segments wholly below the committed offset are deleted. A
 * damaged record (its checksum fails) costs only itself: the reader resynchronises at the next
 * record whose checksum holds, counts the skipped bytes and logs one line per damaged region. On
 * open, only a tail of the last segment with no valid record after its first bad byte is cut off
 * (an incomplete last write), so a crash leaves a readable journal.
 *
 * <p>Appends are buffered only until the end of the network read that produced them ({@link
 * #flush()}, at most 256 KiB and 50 ms), then written to the kernel, so a {@code kill -9} of the
 * agent loses at most the messages of the read batch in progress. The fsync policy decides what a
 * power loss or kernel crash can lose: {@code always} nothing that {@link #sync()} covered (called
 * after each network read), {@code interval} up to the fsync interval, {@code never} what the
 * kernel had not written back (typically up to 30 s).
 */
public final class Journal implements Closeable {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(Journal.class.getName());
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

  /** Direct: written to the segment as it is, without the JDK's copy of a heap buffer. */
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);

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

  /**
   * Length of the last segment's readable part. A damaged record followed by valid ones is left in
   * place for the reader to skip (it counts and logs it); only a tail with no valid record after
   * the first bad byte is cut: an incomplete last write, or damage in the last records.
   */
  private long scanValidLength(Path segment) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      while (pos < size) {
        if (frameAt(ch, pos, size, maxRecordLength()) == Frame.VALID) {
          pos += HEADER + readInt(ch, pos);
          continue;
        }
        long next = nextValidFrame(ch, pos + 1, size, maxRecordLength());
        if (next < 0) {
          boolean complete =
              pos + HEADER <= size
                  && readInt(ch, pos) > 0
                  && pos + HEADER + (long) readInt(ch, pos) <= size;
          if (complete) {
            corruptRegions.incrementAndGet();
            corruptSkippedBytes.addAndGet(size - pos);
          } else {
            tailCutBytes.addAndGet(size - pos);
          }
          LOG.warning(
              "journal: cut "
                  + (size - pos)
                  + " bytes at the end of "
                  + segment.getFileName()
                  + (complete
                      ? " (damaged record(s), no valid record after them)"
                      : " (an incomplete record: the last write did not finish)"));
          return pos;
        }
        pos = next;
      }
      return pos;
    }
  }

  /** Longest payload a header may claim: anything larger is damage. */
  private long maxRecordLength() {
    return segmentBytes + (64L << 20);
  }

  private enum Frame {
    VALID,
    BAD
  }

  private static int readInt(FileChannel ch, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        return -1;
      }
    }
    return b.getInt(0);
  }

  /**
   * Whether a whole record whose checksum holds starts at {@code pos} and ends by {@code limit}.
   */
  private static Frame frameAt(FileChannel ch, long pos, long limit, long maxLength)
      throws IOException {
    if (pos + HEADER > limit) {
      return Frame.BAD;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (header.hasRemaining()) {
      if (ch.read(header, pos + header.position()) < 0) {
        return Frame.BAD;
      }
    }
    int len = header.getInt(0);
    if (len <= 0 || len > maxLength || pos + HEADER + len > limit) {
      return Frame.BAD;
    }
    ByteBuffer payload = ByteBuffer.allocate(len);
    while (payload.hasRemaining()) {
      if (ch.read(payload, pos + HEADER + payload.position()) < 0) {
        return Frame.BAD;
      }
    }
    CRC32C c = new CRC32C();
    c.update(payload.array(), 0, len);
    return (int) c.getValue() == header.getInt(4) ? Frame.VALID : Frame.BAD;
  }

  /**
   * Position (in the segment) of the first record at or after {@code from} whose header fits before
   * {@code limit} and whose checksum holds; -1 if none. The region is mapped, not read into the
   * heap. A candidate claiming a large payload must be followed by a plausible header (or the end)
   * before its checksum is computed: in random bytes about one position in 16,384 claims a small
   * length, so the checksum work stays bounded however damaged the segment.
   */
  static long nextValidFrame(FileChannel ch, long from, long limit, long maxLength)
      throws IOException {
    limit = Math.min(limit, ch.size());
    if (from + HEADER > limit) {
      return -1;
    }
    java.nio.MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, from, limit - from);
    int n = map.limit();
    CRC32C c = new CRC32C();
    for (int q = 0; q + HEADER <= n; q++) {
      int len = map.getInt(q);
      if (len <= 0 || len > maxLength || (long) q + HEADER + len > n) {
        continue;
      }
      int next = q + HEADER + len;
      if (len > CHEAP_CHECK_LENGTH && next != n) {
        if (next + HEADER > n) {
          continue;
        }
        int nextLen = map.getInt(next);
        if (nextLen <= 0 || (long) next + HEADER + nextLen > n) {
          continue;
        }
      }
      c.reset();
      c.update(map.slice(q + HEADER, len));
      if ((int) c.getValue() == map.getInt(q + 4)) {
        return from + q;
      }
    }
    return -1;
  }

  /** Payloads up to this size are checksummed without looking at the next header first. */
  private static final int CHEAP_CHECK_LENGTH = 256 * 1024;

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
   * Appends one record; returns the offset just past it. Records are gathered in a small buffer and
   * written to the segment by {@link #flush()} (after each network read batch, and by the service's
   * timer), so a busy listener costs one write call per batch instead of per message.
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
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
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
    } else if (!full && pendingBytes() >= maxBytes) {
      full = true;
      long now = System.nanoTime();
      fullSinceNanos = now;
      if (lastFullLogNanos == 0 || now - lastFullLogNanos >= DROP_LOG_INTERVAL_NANOS) {
        LOG.warning(
            "journal full ("
                + pendingBytes()
                + " of "
                + maxBytes
                + " bytes undelivered): whenFull block"
                + " pauses TCP/TLS reads and drops UDP datagrams (counted as dropped, reason"
                + " journal_full) until Loki takes entries again"
                + (fullEpisodes == 0
                    ? ""
                    : "; full " + fullEpisodes + " more times since the last such line"));
        lastFullLogNanos = now;
        fullEpisodes = 0;
      } else {
        fullEpisodes++;
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
    // Records the reader already has are with the pusher, which sends them until Loki takes
    // them: only the ones it never read are lost.
    long lost;
    synchronized (readLock) {
      // No read in progress: what the reader has is exactly what is below readPosition. The
      // segment goes before the lock is released, so the reader cannot take records out of it
      // after they were counted as lost (they would be delivered and counted both).
      long from = Math.max(Math.max(committed, readPosition), oldest.getKey());
      lost = countRecords(oldest.getValue(), from - oldest.getKey());
      persistCommit(next);
      committed = next;
      segments.remove(oldest.getKey());
      Files.deleteIfExists(oldest.getValue());
    }
    droppedRecords.addAndGet(lost);
    droppedSinceLog += lost;
    long now = System.nanoTime();
    if (lastDropLogNanos == 0 || now - lastDropLogNanos >= DROP_LOG_INTERVAL_NANOS) {
      LOG.warning(
          "journal full ("
              + maxBytes
              + " bytes of undelivered entries): whenFull drop-oldest deleted "
              + droppedSinceLog
              + " entries never sent"
              + (lastDropLogNanos == 0
                  ? ""
                  : " in the last " + (now - lastDropLogNanos) / 1_000_000_000L + " s")
              + "; "
              + droppedRecords.get()
              + " since start");
      lastDropLogNanos = now;
      droppedSinceLog = 0;
    }
  }

  private static final long DROP_LOG_INTERVAL_NANOS = 60_000_000_000L;
  private long lastDropLogNanos;
  private long droppedSinceLog;

  /** Entries the pusher had read but had to abandon after their segment was dropped. */
  void droppedInFlight(long n) {
    droppedRecords.addAndGet(n);
  }

  /** Whole records whose checksum holds from {@code fromPos} to the end of the segment. */
  private long countRecords(Path segment, long fromPos) throws IOException {
    long n = 0;
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = fromPos;
      while (pos + HEADER <= size) {
        if (frameAt(ch, pos, size, maxRecordLength()) == Frame.VALID) {
          n++;
          pos += HEADER + readInt(ch, pos);
        } else {
          pos = nextValidFrame(ch, pos + 1, size, maxRecordLength());
          if (pos < 0) {
            break;
          }
        }
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
   * Forces the active segment to disk. The fsync runs outside the append lock: a slow disk must not
   * stall the listeners (a segment roll forces the old segment itself).
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
    // Readers resume as soon as there is room, and fill it again: the episode ends (and is
    // logged) only when the backlog is down to half the budget, not at every refill.
    if (full && pendingBytes() < maxBytes / 2) {
      full = false;
      long now = System.nanoTime();
      if (lastRoomLogNanos == 0 || now - lastRoomLogNanos >= DROP_LOG_INTERVAL_NANOS) {
        LOG.info(
            "journal has room again after " + (now - fullSinceNanos) / 1_000_000_000L + " s full");
        lastRoomLogNanos = now;
      }
    }
  }

  // A draining backlog with a sender refilling it goes full and back many times a minute:
  // at most one line of each a minute.
  private long lastFullLogNanos;
  private long lastRoomLogNanos;
  private long fullEpisodes;

  /**
   * Under whenFull block: set when the budget fills, cleared (and logged) when the backlog is down
   * to half of it.
   */
  private boolean full;

  private long fullSinceNanos;

  private void persistCommit(long offset) throws IOException {
    Path tmp = dir.resolve(COMMIT_FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(
          ByteBuffer.wrap((offset + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      if (fsync != Fsync.NEVER) {
        ch.force(false);
      }
    }
    try {
      Files.move(
          tmp,
          dir.resolve(COMMIT_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
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

  /** Where the reader stands: records below it were handed to the pusher. */
  private volatile long readPosition;

  /**
   * Held by the reader for one {@link Reader#read} and by drop-oldest while it counts: a segment is
   * never counted as lost while the reader is taking records out of it.
   */
  private final Object readLock = new Object();

  /** Bytes the reader skipped because a record was damaged (disk corruption). */
  public long corruptSkippedBytes() {
    return corruptSkippedBytes.get();
  }

  private final AtomicLong corruptSkippedBytes = new AtomicLong();
  private final AtomicLong corruptRegions = new AtomicLong();
  private final AtomicLong tailCutBytes = new AtomicLong();

  /**
   * Damaged regions the reader skipped: each is one or more adjacent records whose checksum failed,
   * logged once.
   */
  public long corruptRecords() {
    return corruptRegions.get();
  }

  /** Bytes cut from the end of the last segment on open (an incomplete or damaged tail). */
  public long tailCutBytes() {
    return tailCutBytes.get();
  }

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
    private long lastDamageAt = -1;

    public long position() {
      return position;
    }

    /** Rewinds to the committed offset, so an unacknowledged batch is read again. */
    public void rewind() {
      synchronized (readLock) {
        position = committed;
        readPosition = position;
      }
    }

    /** Reads records up to about {@code maxBytes} of payload; empty when caught up. */
    public List<Record> read(long maxBytes, int maxRecords) throws IOException {
      synchronized (readLock) {
        return readLocked(maxBytes, maxRecords);
      }
    }

    private List<Record> readLocked(long maxBytes, int maxRecords) throws IOException {
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
        Long next = segments.higherKey(seg.getKey());
        // Every byte below here is whole records: a segment rolls between records, and the
        // written offset only moves past flushed ones.
        long segEnd = next == null ? end : Math.min(next, end);
        if (position >= segEnd) {
          if (next == null || next <= position) {
            break;
          }
          position = next;
          continue;
        }
        Record r;
        try {
          r = readAt(seg.getValue(), seg.getKey(), position, segEnd);
        } catch (java.nio.file.NoSuchFileException e) {
          // Dropped under drop-oldest while we were reading it.
          position = Math.max(position, committed);
          continue;
        } catch (CorruptRecordException e) {
          // Resynchronise at the next record whose checksum holds; only the damaged bytes are lost.
          long found =
              nextValidFrame(
                  channel, position - seg.getKey() + 1, segEnd - seg.getKey(), maxRecordLength());
          long skipTo = found < 0 ? segEnd : seg.getKey() + found;
          if (position <= lastDamageAt) {
            // Read again after a rewind: already counted and logged.
            position = skipTo;
            continue;
          }
          lastDamageAt = position;
          corruptSkippedBytes.addAndGet(skipTo - position);
          corruptRegions.incrementAndGet();
          LOG.warning(
              "journal: damaged record(s) at offset "
                  + position
                  + " in "
                  + seg.getValue().getFileName()
                  + " ("
                  + e.getMessage()
                  + "); skipped "
                  + (skipTo - position)
                  + " bytes to "
                  + (found < 0
                      ? "the end of the segment"
                      : "the next valid record at offset " + skipTo));
          position = skipTo;
          continue;
        }
        out.add(r);
        total += r.payload.length;
        position = r.end;
      }
      readPosition = position;
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

    /** The record at {@code pos}, which must end by {@code limit}; anything else is damage. */
    private Record readAt(Path segment, long base, long pos, long limit) throws IOException {
      if (channelBase != base || channel == null) {
        if (channel != null) {
          channel.close();
        }
        channel = FileChannel.open(segment, StandardOpenOption.READ);
        channelBase = base;
        chunkLength = 0;
      }
      if (pos + HEADER > limit) {
        throw new CorruptRecordException((limit - pos) + " stray bytes, less than a record header");
      }
      if (!inChunk(pos, HEADER) && fill(pos, base) < HEADER) {
        throw new CorruptRecordException("segment file shorter than its records");
      }
      int at = (int) (pos - chunkStart);
      int len = getInt(chunk, at);
      int crc = getInt(chunk, at + 4);
      if (len <= 0 || len > maxRecordLength() || pos + HEADER + len > limit) {
        throw new CorruptRecordException("length " + len + " does not fit");
      }
      byte[] payload;
      if (inChunk(pos, HEADER + len)) {
        payload = java.util.Arrays.copyOfRange(chunk, at + HEADER, at + HEADER + len);
      } else if (HEADER + len <= chunk.length) {
        if (fill(pos, base) < HEADER + len) {
          throw new CorruptRecordException("segment file shorter than its records");
        }
        payload = java.util.Arrays.copyOfRange(chunk, HEADER, HEADER + len);
      } else {
        // Larger than the chunk: read it on its own.
        ByteBuffer big = ByteBuffer.allocate(len);
        long off = pos - base + HEADER;
        while (big.hasRemaining()) {
          if (channel.read(big, off + big.position()) < 0) {
            throw new CorruptRecordException("segment file shorter than its records");
          }
        }
        payload = big.array();
      }
      if (crc(payload) != crc) {
        throw new CorruptRecordException("checksum mismatch");
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
