package dev.vigil.render.namespaces;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.k8s.Labels;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stack's namespaces with Pod Security Admission labels: the central stack enforces
 * "restricted"; the per-node agents that need host access live in a separate "privileged" namespace
 * (which still warns and audits at "baseline"), so the exemption is as narrow as the namespace
 * boundary allows.
 */
@AutoService(ComponentRenderer.class)
public final class NamespacesRenderer implements ComponentRenderer {
  public static final String NAME = "namespaces";

  static final Component COMPONENT = Component.named(NAME).tags(Tag.INFRASTRUCTURE).build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return true;
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    out.add(namespace(ctx, ctx.namespace(), "restricted", "restricted"));
    out.add(namespace(ctx, ctx.agentsNamespace(), "privileged", "baseline"));
  }

  /** A namespace enforcing {@code enforce}, and warning and auditing at {@code report}. */
  public static Namespace namespace(RenderContext ctx, String name, String enforce, String report) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.NAME, name);
    labels.put(Labels.PART_OF, "vigil");
    labels.put(Labels.MANAGED_BY, "vigil");
    labels.put(Labels.INSTANCE, ctx.instance());
    labels.put("pod-security.kubernetes.io/enforce", enforce);
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    labels.put("pod-security.kubernetes.io/warn", report);
    labels.put("pod-security.kubernetes.io/warn-version", "latest");
    labels.put("pod-security.kubernetes.io/audit", report);
    labels.put("pod-security.kubernetes.io/audit-version", "latest");
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}
