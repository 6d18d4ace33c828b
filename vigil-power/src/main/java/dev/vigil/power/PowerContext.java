package dev.vigil.power;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * What the roles of one power manager share.
 *
 * @param dryRun log every sleep and wake instead of carrying it out
 * @param kubernetes cluster access for drain and NodeReady, or null without one
 * @param decide receives every decision as one line (logged and, for tests, collected)
 */
record PowerContext(
    boolean dryRun,
    KubernetesClient kubernetes,
    MonotonicClock clock,
    PowerMetrics metrics,
    Consumer<String> decide) {}
