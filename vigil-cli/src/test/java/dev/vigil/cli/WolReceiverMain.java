package dev.vigil.cli;

import dev.vigil.power.MagicPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stands in for a sleeping machine inside a test's network namespace: one UDP socket per (address,
 * port) so each datagram tells which destination address it was sent to — a socket bound to a
 * broadcast address only receives broadcasts to that address. After the first valid magic packet
 * for its MAC it "boots": it starts listening on a TCP port.
 *
 * <p>Args: MAC, comma-separated addresses, comma-separated UDP ports, TCP port, seconds to live.
 * Prints {@code READY}, then {@code RECV <address> <port> <hex>} per datagram and {@code BOOTED}.
 */
public final class WolReceiverMain {
  public static void main(String[] args) throws Exception {
    byte[] mac = MagicPacket.parseMac(args[0]);
    String[] addresses = args[1].split(",");
    String[] ports = args[2].split(",");
    int tcpPort = Integer.parseInt(args[3]);
    long liveMillis = Long.parseLong(args[4]) * 1000;
    Object bootLock = new Object();
    boolean[] booted = {false};
    List<Thread> threads = new ArrayList<>();
    for (String a : addresses) {
      for (String p : ports) {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(a, Integer.parseInt(p)));
        Thread t =
            new Thread(
                () -> {
                  byte[] buf = new byte[1500];
                  while (true) {
                    DatagramPacket dp = new DatagramPacket(buf, buf.length);
                    try {
                      s.receive(dp);
                    } catch (IOException e) {
                      return;
                    }
                    byte[] data = java.util.Arrays.copyOf(dp.getData(), dp.getLength());
                    synchronized (System.out) {
                      System.out.println(
                          "RECV " + a + " " + p + " " + HexFormat.of().formatHex(data));
                      System.out.flush();
                    }
                    if (MagicPacket.matches(data, mac)) {
                      synchronized (bootLock) {
                        if (!booted[0]) {
                          booted[0] = true;
                          boot(tcpPort);
                        }
                      }
                    }
                  }
                });
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(liveMillis);
    System.exit(0);
  }

  private static void boot(int tcpPort) {
    Thread t =
        new Thread(
            () -> {
              try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress("0.0.0.0", tcpPort));
                synchronized (System.out) {
                  System.out.println("BOOTED");
                  System.out.flush();
                }
                while (true) {
                  try (Socket s = server.accept()) {
                    // Accepting is the answer the waker looks for.
                  }
                }
              } catch (IOException e) {
                System.out.println("BOOT FAILED " + e.getMessage());
              }
            });
    t.setDaemon(true);
    t.start();
  }
}
