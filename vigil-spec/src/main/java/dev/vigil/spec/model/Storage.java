package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.types.Quantity;

@Doc("Persistent volume of a stateful component.")
public record Storage(
    @Doc("Volume size; the component's default applies when unset.") Quantity size,
    @Doc("StorageClass; the cluster default when unset.") String className) {}
