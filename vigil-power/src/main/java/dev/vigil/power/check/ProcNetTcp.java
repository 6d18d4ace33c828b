package dev.vigil.power.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the kernel's TCP socket tables ({@code /proc/net/tcp} and {@code tcp6}). */
public final class ProcNetTcp {
  public static final int ESTABLISHED = 0x01;
  public static final int SYN_SENT = 0x02;
  public static final int SYN_RECV = 0x03;
  public static final int LISTEN = 0x0A;

  private ProcNetTcp() {}

  /** One socket: local and remote endpoints and the kernel's state code. */
  public record Entry(
      InetAddress localAddress,
      int localPort,
      InetAddress remoteAddress,
      int remotePort,
      int state) {}

  public static List<Entry> read(Path procNet) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (String file : List.of("tcp", "tcp6")) {
      try {
        out.addAll(parse(Files.readString(procNet.resolve(file), StandardCharsets.US_ASCII)));
      } catch (NoSuchFileException e) {
        // tcp6 is absent when IPv6 is disabled.
      }
    }
    return out;
  }

  public static List<Entry> parse(String table) {
    List<Entry> out = new ArrayList<>();
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length < 4) {
        continue;
      }
      try {
        String[] local = f[1].split(":");
        String[] remote = f[2].split(":");
        out.add(
            new Entry(
                address(local[0]),
                Integer.parseInt(local[1], 16),
                address(remote[0]),
                Integer.parseInt(remote[1], 16),
                Integer.parseInt(f[3], 16)));
      } catch (RuntimeException | UnknownHostException e) {
        // A malformed line is skipped rather than failing the whole table.
      }
    }
    return out;
  }

  /** The kernel prints addresses as host-order 32-bit words in hex. */
  static InetAddress address(String hex) throws UnknownHostException {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[raw.length];
    for (int w = 0; w < raw.length; w += 4) {
      for (int i = 0; i < 4; i++) {
        bytes[w + i] = raw[w + 3 - i];
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
