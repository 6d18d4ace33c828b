package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("Power management: autosleep of idle nodes and Wake-on-LAN.")
public record PowerSpec(@Doc("Run the power manager.") @Default("false") boolean enabled) {}
