package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("Grafana Alloy log agent (DaemonSet).")
public record AlloySpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Container resources.") Resources resources,
    @Doc("Ship the systemd journal of every node.") @Default("true") boolean journal) {}
