package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;

@Doc("HTTP API of the power manager: GET /api/v1/power/status, POST /api/v1/nodes/{name}/wake.")
public record PowerApiSpec(
    @Doc("Listen address (an IP literal: 127.0.0.1, 0.0.0.0, ::).") @Default("127.0.0.1")
        String address,
    @Doc("Listen port (0 = any free port).") @Default("9797") int port,
    @Doc(
            "Bearer token required by every endpoint but /healthz (status and wake); without it"
                + " those endpoints are refused.")
        PowerSecret token)
    implements Validated {

  @Override
  public void validate(Checks c) {
    if (address == null || address.isBlank()) {
      c.error("address", "expected an IP address to listen on, such as 127.0.0.1");
    } else {
      IpLiteral.check(c, "address", address);
    }
    if (port < 0 || port > 65535) {
      c.error("port", "expected a port 0-65535, got " + port);
    }
  }
}
