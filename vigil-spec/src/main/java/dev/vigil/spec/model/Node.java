package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.types.IpAddress;
import dev.vigil.spec.types.MacAddress;
import java.util.Map;

@Doc("A node of the cluster.")
public record Node(
    @Doc("Kubernetes node name.") @Required String name,
    @Doc("Node address (IP literal) used for time checks and wake verification.") @Required
        IpAddress address,
    @Doc("Role of the node in the cluster.") @Default("worker") NodeRole role,
    @Doc("Operating system family.") @Default("debian") OsFamily os,
    @Doc("MAC address of the wake-capable interface.") MacAddress mac,
    @Doc("The node has a BMC reachable through IPMI; enables the IPMI exporter on it.")
        @Default("false")
        boolean ipmi,
    @Doc("Extra Kubernetes labels the node carries (used for scheduling, e.g. the IPMI exporter).")
        Map<String, String> labels) {}
