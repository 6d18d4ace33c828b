package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("Alertmanager.")
public record AlertmanagerSpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Replicas (clustered through gossip when more than one); 1 in homelab, 2 in production.")
        Integer replicas,
    @Doc("Container resources.") Resources resources,
    @Doc("Volume for silences and notification log (default 2Gi).") Storage storage,
    @Doc("External access (NodePort 30093 in homelab).") Access access) {}
