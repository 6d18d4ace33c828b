package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import java.time.Duration;
import java.util.List;

@Doc("The sleep action of a node.")
public record SleepSpec(
    @Doc(
            "Cordon the node and evict its pods (respecting PodDisruptionBudgets) before sleeping;"
                + " uncordon after waking.")
        @Default("false")
        boolean drain,
    @Doc("Give up sleeping (and uncordon) when the drain has not finished in this time.")
        @Default("5m")
        Duration drainTimeout,
    @Doc("Interfaces to re-arm for Wake-on-LAN with `ethtool -s IF wol g` before sleeping.")
        List<String> wolInterfaces,
    @Doc("Command that puts the node to sleep; empty = systemctl suspend.") List<String> command) {}
