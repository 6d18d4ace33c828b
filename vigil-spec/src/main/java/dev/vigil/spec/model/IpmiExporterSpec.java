package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;

@Doc("IPMI exporter on nodes with ipmi: true (DaemonSet with access to /dev/ipmi0).")
public record IpmiExporterSpec(
    @Doc("Deploy it; by default, when any node has ipmi: true.") Boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Container resources.") Resources resources) {}
