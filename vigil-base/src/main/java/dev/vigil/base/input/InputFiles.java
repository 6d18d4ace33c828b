package dev.vigil.base.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the files Vigil is given — specs, overlays, manifests to lint — without trusting them: only
 * regular files (a FIFO would block forever, {@code /dev/zero} would never end), never more than a
 * stated size, always valid UTF-8, and directories walked with every real directory and file
 * visited once however many symlinks lead to it.
 */
public final class InputFiles {
  /** Directory levels a walk descends at most. */
  public static final int MAX_WALK_DEPTH = 64;

  private InputFiles() {}

  /** Reads a regular file of at most {@code maxBytes} as UTF-8 text (a leading BOM is dropped). */
  public static String readText(Path path, long maxBytes) {
    return decodeUtf8(display(path), readBytes(path, maxBytes));
  }

  /** Reads a regular file of at most {@code maxBytes}. */
  public static byte[] readBytes(Path path, long maxBytes) {
    String where = display(path);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new InputException(where, "no such file");
    } catch (IOException e) {
      throw new InputException(where, "cannot read: " + reason(e));
    }
    if (attrs.isDirectory()) {
      throw new InputException(where, "is a directory, expected a file");
    }
    if (!attrs.isRegularFile()) {
      throw new InputException(
          where, "not a regular file (a device, FIFO or socket); expected a file");
    }
    if (attrs.size() > maxBytes) {
      throw new InputException(where, tooLarge(attrs.size(), maxBytes));
    }
    try (InputStream in = Files.newInputStream(path)) {
      return readBounded(where, in, maxBytes, attrs.size());
    } catch (IOException e) {
      throw new InputException(where, "cannot read: " + reason(e));
    }
  }

  /** Reads a stream (standard input) of at most {@code maxBytes}. */
  public static byte[] readBounded(String where, InputStream in, long maxBytes) throws IOException {
    return readBounded(where, in, maxBytes, -1);
  }

  /** {@code expected}: the size the file says it has (it may still grow), or -1. */
  private static byte[] readBounded(String where, InputStream in, long maxBytes, long expected)
      throws IOException {
    int cap = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
    byte[] buf = new byte[(int) Math.min(cap, expected >= 0 ? expected + 1 : 1 << 16)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (buf.length >= cap) {
          break;
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, cap));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n > maxBytes) {
      throw new InputException(where, tooLarge(-1, maxBytes));
    }
    return Arrays.copyOf(buf, n);
  }

  /**
   * Decodes UTF-8, refusing anything else with the line and column of the first bad byte (binary
   * files, Latin-1 text) instead of decoding it into replacement characters.
   */
  public static String decodeUtf8(String where, byte[] bytes) {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    // The common case, checked first: the JDK's decoder is fastest for valid text, and turns
    // malformed bytes into U+FFFD. Only text holding U+FFFD — malformed, or a real replacement
    // character — goes through the strict decoder below, which says where the first bad byte is.
    String fast = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    if (fast.indexOf('\uFFFD') < 0) {
      return fast;
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = start;
      for (int i = start; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      boolean nul = false;
      for (int i = start; i < Math.min(bytes.length, start + 8192); i++) {
        nul |= bytes[i] == 0;
      }
      throw new InputException(
          where + ":" + line + ":" + (at - lineStart + 1),
          String.format(
              "not UTF-8 text: byte 0x%02x at offset %d%s",
              bytes[at] & 0xff, at, nul ? " (the file looks binary)" : "; expected UTF-8"));
    }
    out.flip();
    return out.toString();
  }

  /**
   * What a directory walk found: files to read, and what it skipped and why.
   *
   * @param skipped every entry not read, with the reason
   * @param refused the part of {@code skipped} that is a problem with the input (not a regular
   *     file, unreadable, too deep, too many files), as opposed to a second path to something
   *     already read
   */
  public record Walk(List<Path> files, List<String> skipped, List<Refusal> refused) {
    public Walk(List<Path> files, List<String> skipped) {
      this(files, skipped, List.of());
    }
  }

  /** An entry a walk would not read: where, and why (without the path). */
  public record Refusal(Path path, String reason) {
    @Override
    public String toString() {
      return display(path) + ": " + reason;
    }
  }

  /**
   * Every regular file under {@code dir} that {@code include} accepts, in sorted order. Symlinks
   * are followed, but each real directory and each real file is visited once (loops and diamonds
   * end); FIFOs, devices and sockets are skipped and reported, as are levels deeper than {@link
   * #MAX_WALK_DEPTH} and files beyond {@code maxFiles}.
   */
  public static Walk walk(Path dir, Predicate<Path> include, int maxFiles) {
    return walk(dir, d -> true, include, maxFiles);
  }

  /**
   * As {@link #walk(Path, Predicate, int)}, entering only the directories below {@code dir} that
   * {@code descend} accepts (hidden ones, or ones the caller reads another way).
   */
  public static Walk walk(
      Path dir, Predicate<Path> descend, Predicate<Path> include, int maxFiles) {
    List<Path> files = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    Set<Object> seenDirs = new HashSet<>();
    Set<Object> seenFiles = new HashSet<>();
    Deque<Path> dirs = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    dirs.push(dir);
    depths.push(0);
    while (!dirs.isEmpty()) {
      Path d = dirs.pop();
      int depth = depths.pop();
      if (!seenDirs.add(identity(d))) {
        skipped.add(display(d) + ": already visited through another path (symlink loop or alias)");
        continue;
      }
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
        ds.forEach(entries::add);
      } catch (IOException e) {
        refuse(skipped, refused, d, "cannot list: " + reason(e));
        continue;
      }
      entries.sort(null);
      List<Path> subdirs = new ArrayList<>();
      for (Path p : entries) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
          // A dangling or looping symlink: a problem only where it stands for a file to read.
          if (include.test(p)) {
            refuse(skipped, refused, p, "cannot read: " + reason(e));
          } else {
            skipped.add(display(p) + ": cannot read: " + reason(e));
          }
          continue;
        }
        if (a.isDirectory()) {
          if (!descend.test(p)) {
            continue;
          } else if (depth + 1 > MAX_WALK_DEPTH) {
            refuse(skipped, refused, p, "deeper than " + MAX_WALK_DEPTH + " directory levels");
          } else {
            subdirs.add(p);
          }
        } else if (!include.test(p)) {
          continue;
        } else if (!a.isRegularFile()) {
          refuse(skipped, refused, p, "not a regular file (a device, FIFO or socket)");
        } else if (!seenFiles.add(identity(p))) {
          skipped.add(display(p) + ": same file as one already read (through a symlink)");
        } else if (files.size() >= maxFiles) {
          refuse(skipped, refused, p, "more than " + maxFiles + " files; the rest are not read");
          return new Walk(files, skipped, refused);
        } else {
          files.add(p);
        }
      }
      for (int i = subdirs.size() - 1; i >= 0; i--) {
        dirs.push(subdirs.get(i));
        depths.push(depth + 1);
      }
    }
    return new Walk(files, skipped, refused);
  }

  private static void refuse(
      List<String> skipped, List<Refusal> refused, Path path, String reason) {
    Refusal r = new Refusal(path, reason);
    skipped.add(r.toString());
    refused.add(r);
  }

  private static Object identity(Path p) {
    try {
      Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
      return key != null ? key : p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  /**
   * A path as it may be printed: control characters escaped, so a file name cannot forge lines or
   * colours in a terminal or report, and at most 512 characters.
   */
  public static String display(Path path) {
    return printable(path.toString(), 512);
  }

  /** Text made safe to print on one line: control characters escaped, cut at {@code max} chars. */
  public static String printable(String text, int max) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 8);
    for (int i = 0; i < text.length(); i++) {
      if (sb.length() >= max) {
        sb.append("...(").append(text.length() - i).append(" more characters)");
        break;
      }
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else if (invisibleControl(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Line and paragraph separators, and the bidirectional controls that reorder what a terminal
   * shows ("Trojan Source"): printed raw they make a name read as something else.
   */
  private static boolean invisibleControl(char c) {
    return c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c';
  }

  private static String tooLarge(long size, long max) {
    return (size >= 0 ? size + " bytes, " : "") + "larger than the limit of " + max + " bytes";
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : printable(m, 200);
  }
}
