package dev.vigil.power;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Tiny programs run inside test network namespaces to leave real traces in the TCP tables. */
final class SocketMains {
  private SocketMains() {}

  /** Args: port, seconds. Listens on 0.0.0.0:port without ever accepting. */
  static final class Listen {
    public static void main(String[] args) throws Exception {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[0])), 16);
        System.out.println("LISTENING");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]) * 1000);
      }
    }
  }

  /** Args: source address or '-', host, port, timeout ms. One connection attempt. */
  static final class Connect {
    public static void main(String[] args) {
      try (Socket s = new Socket()) {
        if (!args[0].equals("-")) {
          s.bind(new InetSocketAddress(InetAddress.getByName(args[0]), 0));
        }
        System.out.println("CONNECTING");
        System.out.flush();
        s.connect(
            new InetSocketAddress(args[1], Integer.parseInt(args[2])), Integer.parseInt(args[3]));
        System.out.println("CONNECTED");
      } catch (Exception e) {
        System.out.println("FAILED " + e.getMessage());
      }
    }
  }
}
