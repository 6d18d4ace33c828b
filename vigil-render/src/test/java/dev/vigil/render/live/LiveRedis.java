package dev.vigil.render.live;

import dev.vigil.testing.Tools;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's redis-server on 127.0.0.1 with a password and the given settings, nothing persisted; and
 * a client speaking RESP over a plain socket, enough to log in and send commands.
 */
public final class LiveRedis {
  private LiveRedis() {}

  /**
   * Starts redis-server on {@code port} with {@code requirepass} and extra {@code --name value}
   * settings.
   */
  public static LiveProcess start(Path dir, int port, String password, Map<String, String> settings)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Tools.require("redis-server", "redis-server").toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--requirepass",
                password,
                "--logfile",
                ""));
    settings.forEach(
        (k, v) -> {
          command.add("--" + k);
          command.add(v);
        });
    // An empty server starts in milliseconds; 30 s covers a loaded host.
    return LiveProcess.tcp("redis", dir, port, Duration.ofSeconds(30), Map.of(), command);
  }

  /** One client connection. */
  public static final class Client implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    private Client(Socket socket) throws IOException {
      this.socket = socket;
      // A server that stops answering must not hang the test.
      socket.setSoTimeout(10_000);
      this.out = socket.getOutputStream();
      this.in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    public static Client connect(int port) throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      return new Client(s);
    }

    /**
     * Sends one command as a RESP array of bulk strings and returns the first line of the reply
     * ("+OK", "-OOM ...", "$5" for a bulk string, whose body is consumed).
     */
    public String send(String... args) throws IOException {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        b.append('$')
            .append(a.getBytes(StandardCharsets.ISO_8859_1).length)
            .append("\r\n")
            .append(a)
            .append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readReply();
    }

    /** The first line the server sends without being asked (a refusal is sent at once). */
    public String readReply() throws IOException {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed by the server");
      }
      if (line.startsWith("$") && !line.equals("$-1")) {
        char[] body = new char[Integer.parseInt(line.substring(1)) + 2];
        for (int read = 0; read < body.length; ) {
          int n = in.read(body, read, body.length - read);
          if (n < 0) {
            throw new IOException("connection closed in a bulk reply");
          }
          read += n;
        }
      }
      return line;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
