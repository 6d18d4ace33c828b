package dev.vigil.power;

import dev.vigil.spec.bind.Binder;
import dev.vigil.spec.power.PowerSpec;
import java.io.IOException;
import java.net.ServerSocket;

/** Binds power sections through the real spec binder, so tests use what operators write. */
final class Specs {
  private Specs() {}

  static PowerSpec power(String yaml) {
    return Binder.bind(PowerSpec.class, "power.yaml", yaml).orThrow();
  }

  /** A loopback port nothing listens on (taken and released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
