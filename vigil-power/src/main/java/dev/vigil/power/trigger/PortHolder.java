package dev.vigil.power.trigger;

import dev.vigil.base.NamedThreads;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * Listens on a sleeping node's service port on the controller: each accepted connection is closed
 * at once and reported. The client sees a reset and retries, by which time the node is waking.
 */
public final class PortHolder implements Closeable {
  private final ServerSocket server;
  private final Thread thread;

  private PortHolder(ServerSocket server, Consumer<String> onAttempt) {
    this.server = server;
    this.thread =
        NamedThreads.daemon("vigil-power-hold-" + server.getLocalPort())
            .newThread(
                () -> {
                  while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                      onAttempt.accept(
                          "connection to held port "
                              + server.getLocalPort()
                              + " from "
                              + s.getInetAddress().getHostAddress());
                    } catch (IOException e) {
                      // Closed while accepting: the node woke or the agent stops.
                    }
                  }
                });
  }

  public static PortHolder open(String address, int port, Consumer<String> onAttempt)
      throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(new InetSocketAddress(address, port), 16);
    } catch (IOException e) {
      s.close();
      throw new IOException("cannot hold " + address + ":" + port + ": " + e.getMessage(), e);
    }
    PortHolder h = new PortHolder(s, onAttempt);
    h.thread.start();
    return h;
  }

  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
