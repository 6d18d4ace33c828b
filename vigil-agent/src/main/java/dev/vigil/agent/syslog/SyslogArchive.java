package dev.vigil.agent.syslog;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Compliance copy of every message as received: {@code <dir>/<yyyy-mm-dd>/<host>.log}, one line per
 * message ({@code receive-time SP sender SP raw}). Days are UTC. The current day is plain text,
 * appended through a buffer (so the receive path pays a copy, not a compression); a day that is
 * over is compressed to {@code <host>.log.gz} by {@link #compressClosedDays}, off the receive path,
 * crash-safely (the plain file is deleted only after the compressed one is complete).
 */
public final class SyslogArchive implements Closeable {
  private static final Logger LOG = Logger.getLogger(SyslogArchive.class.getName());
  private static final int MAX_OPEN = 128;
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  static final String PLAIN = ".log";
  static final String GZIP = ".log.gz";
  private static final String PART = ".part";

  private final Path dir;
  private final Duration retention;
  private final long maxBytes;

  /** Open files of the current day by host as parsed (not sanitised: no work per message). */
  private final Map<String, LineFile> open = new HashMap<>();

  /** Counts writes: the file written least recently is the one closed for a new host. */
  private long uses;

  private LocalDate openDay;

  /** Epoch day of {@link #openDay}, compared per message instead of building a date. */
  private long openEpochDay = Long.MIN_VALUE;

  public SyslogArchive(Path dir, Duration retention, long maxBytes) throws IOException {
    this.dir = dir;
    this.retention = retention;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
  }

  public Path dir() {
    return dir;
  }

  public synchronized void write(RawMessage raw, String host) throws IOException {
    writeOne(raw, host);
  }

  /** Writes {@code raws[i]} under {@code hosts[i]} for i below {@code n}, under one lock. */
  public synchronized void write(List<RawMessage> raws, String[] hosts, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      writeOne(raws.get(i), hosts[i]);
    }
  }

  /** The stream of the previous line's host: consecutive lines mostly share it. */
  private String lastHost;

  private LineFile lastOut;

  /** The previous line's sender and its bytes. */
  private String lastSender;

  private byte[] lastSenderBytes;

  /** The previous line's receive time and its text. */
  private Instant lastTime;

  private byte[] lastTimeBytes;

  private void writeOne(RawMessage raw, String host) throws IOException {
    long epochDay = Math.floorDiv(raw.receivedAt().getEpochSecond(), 86_400L);
    // Days only move forward: after a clock step back, lines stay in the current day's file, so a
    // day once left is never written again and can be compressed without a lock.
    if (epochDay > openEpochDay) {
      closeAll();
      openDay = LocalDate.ofEpochDay(epochDay);
      openEpochDay = epochDay;
    }
    LineFile out = host.equals(lastHost) ? lastOut : open.get(host);
    if (out == null) {
      String name = safeName(host);
      if (open.size() >= MAX_OPEN) {
        closeLeastRecentlyUsed();
      }
      Path dayDir = dir.resolve(openDay.toString());
      Files.createDirectories(dayDir);
      out = new LineFile(dayDir.resolve(name + PLAIN));
      open.put(host, out);
    }
    lastHost = host;
    lastOut = out;
    out.lastUse = ++uses;
    // Messages of one network read share their receive time: formatted once for all of them.
    if (!raw.receivedAt().equals(lastTime)) {
      lastTime = raw.receivedAt();
      lastTimeBytes = IsoInstant.format(lastTime).getBytes(StandardCharsets.US_ASCII);
    }
    byte[] time = lastTimeBytes;
    String sender = raw.senderAddress();
    if (!sender.equals(lastSender)) {
      lastSenderBytes = (sender.isEmpty() ? "-" : sender).getBytes(StandardCharsets.UTF_8);
      lastSender = sender;
    }
    byte[] senderBytes = lastSenderBytes;
    byte[] b = raw.bytes();
    int n = time.length + 1 + senderBytes.length + 1 + b.length + 1;
    // The line is assembled in the file's own buffer: one copy of the message, not two.
    byte[] line = out.reserve(n);
    int at = out.length;
    System.arraycopy(time, 0, line, at, time.length);
    at += time.length;
    line[at++] = ' ';
    System.arraycopy(senderBytes, 0, line, at, senderBytes.length);
    at += senderBytes.length;
    line[at++] = ' ';
    System.arraycopy(b, 0, line, at, b.length);
    // One message per line: embedded line ends (rare: octet-counted and UDP messages) would split
    // it.
    for (int lf = Bytes.indexOf(line, at, at + b.length, (byte) '\n');
        lf >= 0;
        lf = Bytes.indexOf(line, lf + 1, at + b.length, (byte) '\n')) {
      line[lf] = ' ';
    }
    at += b.length;
    line[at++] = '\n';
    out.length = at;
  }

  private void closeLeastRecentlyUsed() throws IOException {
    Map.Entry<String, LineFile> eldest = null;
    for (Map.Entry<String, LineFile> e : open.entrySet()) {
      if (eldest == null || e.getValue().lastUse < eldest.getValue().lastUse) {
        eldest = e;
      }
    }
    open.remove(eldest.getKey());
    eldest.getValue().close();
    lastHost = null;
    lastOut = null;
  }

  /** Writes what is buffered to the files, where readers and a restart see it. */
  public synchronized void flush() throws IOException {
    for (LineFile o : open.values()) {
      o.flush();
    }
  }

  /**
   * Compresses every plain file of a day before {@code now}'s UTC day that is not being written.
   * Each goes to a temporary file first, forced to disk, renamed, and only then is the plain file
   * deleted: a crash leaves the plain file, compressed again next time. Runs on its own thread.
   */
  public void compressClosedDays(Instant now) throws IOException {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    for (Path day : days()) {
      LocalDate d = LocalDate.parse(day.getFileName().toString());
      if (!d.isBefore(today)) {
        continue;
      }
      List<Path> plain;
      try (Stream<Path> s = Files.list(day)) {
        plain = s.filter(p -> p.getFileName().toString().endsWith(PLAIN)).sorted().toList();
      }
      try (Stream<Path> s = Files.list(day)) {
        for (Path stale : s.filter(p -> p.getFileName().toString().endsWith(PART)).toList()) {
          Files.deleteIfExists(stale);
        }
      }
      synchronized (this) {
        if (openDay != null && !d.isBefore(openDay)) {
          continue; // still being written (the host clock is behind the day's end)
        }
      }
      for (Path p : plain) {
        compress(p);
      }
    }
  }

  private static String hostOf(Path plain) {
    String f = plain.getFileName().toString();
    return f.substring(0, f.length() - PLAIN.length());
  }

  private static void compress(Path plain) throws IOException {
    String host = hostOf(plain);
    Path part = plain.resolveSibling(host + GZIP + PART);
    try (InputStream in = Files.newInputStream(plain);
        OutputStream out =
            new GZIPOutputStream(
                Files.newOutputStream(
                    part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING),
                64 * 1024)) {
      in.transferTo(out);
    }
    try (FileChannel c = FileChannel.open(part, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    // A restart on the same day can leave an earlier archive of that host: keep both.
    Path target = plain.resolveSibling(host + GZIP);
    for (int n = 2; Files.exists(target); n++) {
      target = plain.resolveSibling(host + "." + n + GZIP);
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(plain);
    LOG.fine("archive: compressed " + plain + " to " + target.getFileName());
  }

  private List<Path> days() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> DAY.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  /** Deletes day directories older than the retention, then the oldest ones over the size cap. */
  public synchronized void enforceRetention(Instant now) throws IOException {
    LocalDate oldestKept = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
    List<Path> days = new ArrayList<>(days());
    long total = 0;
    for (Path d : days) {
      total += size(d);
    }
    for (Path d : days) {
      LocalDate day = LocalDate.parse(d.getFileName().toString());
      boolean tooOld = day.isBefore(oldestKept);
      boolean tooBig = total > maxBytes && !day.equals(openDay);
      if (tooOld || tooBig) {
        long s = size(d);
        if (day.equals(openDay)) {
          closeAll();
        }
        deleteTree(d);
        total -= s;
        LOG.info("archive: deleted " + d.getFileName() + (tooOld ? " (retention)" : " (size cap)"));
      }
    }
  }

  private static long size(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String safeName(String host) {
    String h = host == null || host.isEmpty() ? "unknown" : host;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < h.length() && sb.length() < 128; i++) {
      char c = h.charAt(i);
      sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
    }
    String s = sb.toString();
    return s.startsWith(".") ? "_" + s : s;
  }

  private void closeAll() throws IOException {
    lastHost = null;
    lastOut = null;
    for (LineFile o : open.values()) {
      o.close();
    }
    open.clear();
  }

  @Override
  public synchronized void close() throws IOException {
    closeAll();
  }

  /** A plain archive file open for appending, with its write buffer. */
  private static final class LineFile implements Closeable {
    private final FileChannel channel;
    private byte[] buffer = new byte[64 * 1024];
    int length;
    long lastUse;

    LineFile(Path path) throws IOException {
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The buffer, with room for {@code n} more bytes after {@link #length}. */
    byte[] reserve(int n) throws IOException {
      if (length + n > buffer.length) {
        flush();
        if (n > buffer.length) {
          buffer = new byte[n];
        }
      }
      return buffer;
    }

    void flush() throws IOException {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buffer, 0, length);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      length = 0;
    }

    @Override
    public void close() throws IOException {
      try {
        flush();
      } finally {
        channel.close();
      }
    }
  }
}
