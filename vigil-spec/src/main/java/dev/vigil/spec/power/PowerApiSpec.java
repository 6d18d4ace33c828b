package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("HTTP API of the power manager: GET /api/v1/power/status, POST /api/v1/nodes/{name}/wake.")
public record PowerApiSpec(
    @Doc("Listen address.") @Default("127.0.0.1") String address,
    @Doc("Listen port (0 = any free port).") @Default("9797") int port,
    @Doc(
            "Bearer token required by POST /api/v1/nodes/{name}/wake; without it wake requests are"
                + " refused.")
        PowerSecret token) {}
