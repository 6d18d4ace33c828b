package dev.vigil.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The Kubernetes objects one component renders, in the order the renderer added them. */
public final class ComponentOutput {
  private final String component;
  private final List<HasMetadata> objects = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public ComponentOutput(String component) {
    this.component = component;
  }

  public String component() {
    return component;
  }

  public ComponentOutput add(HasMetadata... added) {
    objects.addAll(List.of(added));
    return this;
  }

  public List<HasMetadata> objects() {
    return Collections.unmodifiableList(objects);
  }

  /**
   * Tells the operator something the objects cannot: a step to take on the nodes before the deploy
   * works. `vigil render` prints every note.
   */
  public ComponentOutput note(String text) {
    notes.add(text);
    return this;
  }

  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }
}
