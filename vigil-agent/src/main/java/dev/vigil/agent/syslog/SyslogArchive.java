package dev.vigil.agent.syslog;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Compliance copy of every message as received: {@code <dir>/<yyyy-mm-dd>/<host>.log.gz}, one
 * line per message ({@code receive-time SP sender SP raw}). Files are gzip streams appended as
 * members, so a restart continues the same file and {@code zcat} reads it whole. Days are UTC.
 */
public final class SyslogArchive implements Closeable {
  private static final Logger LOG = Logger.getLogger(SyslogArchive.class.getName());
  private static final int MAX_OPEN = 128;

  private final Path dir;
  private final Duration retention;
  private final long maxBytes;
  private final Map<String, OutputStream> open = new LinkedHashMap<>(16, 0.75f, true);
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
    long epochDay = Math.floorDiv(raw.receivedAt().getEpochSecond(), 86_400L);
    if (epochDay != openEpochDay) {
      closeAll();
      openDay = LocalDate.ofEpochDay(epochDay);
      openEpochDay = epochDay;
    }
    LocalDate day = openDay;
    String name = safeName(host);
    OutputStream out = open.get(name);
    if (out == null) {
      if (open.size() >= MAX_OPEN) {
        Iterator<Map.Entry<String, OutputStream>> eldest = open.entrySet().iterator();
        eldest.next().getValue().close();
        eldest.remove();
      }
      Path dayDir = dir.resolve(day.toString());
      Files.createDirectories(dayDir);
      // The buffer in front of gzip hands the deflater 64 KiB at a time, not one line per call.
      out =
          new BufferedOutputStream(
              new FastGzip(
                  Files.newOutputStream(
                      dayDir.resolve(name + ".log.gz"),
                      StandardOpenOption.CREATE,
                      StandardOpenOption.APPEND)),
              64 * 1024);
      open.put(name, out);
    }
    byte[] prefix =
        (IsoInstant.format(raw.receivedAt()) + " " + (raw.senderAddress().isEmpty() ? "-" : raw.senderAddress()) + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] b = raw.bytes();
    byte[] line = new byte[prefix.length + b.length + 1];
    System.arraycopy(prefix, 0, line, 0, prefix.length);
    for (int i = 0; i < b.length; i++) {
      // One message per line: embedded line ends would split it.
      line[prefix.length + i] = b[i] == '\n' ? (byte) ' ' : b[i];
    }
    line[line.length - 1] = '\n';
    out.write(line);
  }

  /** Makes what was written readable on disk (sync-flush of each gzip stream). */
  public synchronized void flush() throws IOException {
    for (OutputStream o : open.values()) {
      o.flush();
    }
  }

  /** Deletes day directories older than the retention, then the oldest ones over the size cap. */
  public synchronized void enforceRetention(Instant now) throws IOException {
    LocalDate oldestKept = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
    List<Path> days = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .forEach(days::add);
    }
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

  /** gzip at the fastest level: the archive is written on the receive path. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 64 * 1024, true);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
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
    for (OutputStream o : open.values()) {
      o.close();
    }
    open.clear();
  }

  @Override
  public synchronized void close() throws IOException {
    closeAll();
  }
}
