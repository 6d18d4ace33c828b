package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("node-exporter (DaemonSet, host network and PID namespace).")
public record NodeExporterSpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Container resources.") Resources resources,
    @Doc("Host port.") @Default("9100") int port) {}
