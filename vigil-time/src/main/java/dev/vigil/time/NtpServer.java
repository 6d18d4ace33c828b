package dev.vigil.time;

/**
 * An NTP server address as an operator writes it: {@code host}, {@code host:port}, {@code
 * [v6]:port}.
 */
public record NtpServer(String host, int port) {
  public static final int DEFAULT_PORT = 123;

  public NtpServer {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("NTP server host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("NTP server port must be 1-65535, got " + port);
    }
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code [ipv6]} or {@code [ipv6]:port}; a bare IPv6
   * literal (more than one colon) takes the default port.
   */
  public static NtpServer parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("NTP server must not be empty");
    }
    String t = text.strip();
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in NTP server '" + text + "'");
      }
      String host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (rest.isEmpty()) {
        return new NtpServer(host, DEFAULT_PORT);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException(
            "expected ':port' after ']' in NTP server '" + text + "'");
      }
      return new NtpServer(host, parsePort(rest.substring(1), text));
    }
    int first = t.indexOf(':');
    if (first < 0 || first != t.lastIndexOf(':')) {
      return new NtpServer(t, DEFAULT_PORT);
    }
    return new NtpServer(t.substring(0, first), parsePort(t.substring(first + 1), text));
  }

  private static int parsePort(String s, String whole) {
    try {
      int p = Integer.parseInt(s);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid port '" + s + "' in NTP server '" + whole + "' (expected 1-65535)");
    }
  }

  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == DEFAULT_PORT ? h : h + ":" + port;
  }
}
