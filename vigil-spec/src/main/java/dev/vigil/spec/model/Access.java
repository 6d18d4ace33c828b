package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;

@Doc("External access to a component.")
public record Access(
    @Doc(
            "Reach it from outside the cluster at all: a NodePort in homelab, an Ingress in production.")
        @dev.vigil.spec.bind.Default("true")
        boolean expose,
    @Doc("NodePort (homelab profile); 0 disables it.") Integer nodePort,
    @Doc("Ingress host (production profile); defaults to <component>.<exposure.ingress.domain>.")
        String host) {}
