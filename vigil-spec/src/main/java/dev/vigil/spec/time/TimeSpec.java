package dev.vigil.spec.time;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("Time synchronisation: chrony for the cluster, the agent's time probe, and their thresholds.")
public record TimeSpec(@Doc("Render chrony and run the time probe.") @Default("true") boolean enabled) {}
