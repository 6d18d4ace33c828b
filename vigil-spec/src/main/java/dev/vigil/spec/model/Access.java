package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;

@Doc("External access to a component.")
public record Access(
    @Doc("NodePort (homelab profile); 0 disables it.") Integer nodePort,
    @Doc("Ingress host (production profile); defaults to <component>.<exposure.ingress.domain>.")
        String host) {}
