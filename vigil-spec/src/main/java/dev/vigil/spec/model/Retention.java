package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.types.Quantity;
import java.time.Duration;

@Doc("How long data is kept, and how much of it.")
public record Retention(
    @Doc("Maximum age of data.") Duration time,
    @Doc("Maximum size of data; must fit in the volume.") Quantity size) {}
