package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("kube-state-metrics.")
public record KubeStateMetricsSpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Container resources.") Resources resources) {}
