package dev.vigil.apply;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a plan phase by phase with server-side apply, reading each object first to tell what
 * changed. The first refusal stops it: later phases depend on earlier ones, and a report of what
 * was and was not applied is more use than a cascade of follow-on errors.
 */
public final class Applier {
  /** What happened to one object. */
  public enum Result {
    CREATED,
    CONFIGURED,
    UNCHANGED,
    /**
     * Server dry run only: its namespace (or CRD) is created earlier in the same deploy, so the
     * server cannot check it yet.
     */
    NOT_CHECKED;

    public String label() {
      return switch (this) {
        case CREATED -> "created";
        case CONFIGURED -> "configured";
        case UNCHANGED -> "unchanged";
        case NOT_CHECKED -> "not checked";
      };
    }
  }

  /** One applied object; {@code before} is null when it did not exist. */
  public record Applied(
      Plan.Step step,
      Result result,
      GenericKubernetesResource before,
      GenericKubernetesResource after,
      String note) {}

  /** The object the server refused, and why. */
  public record Failure(Plan.Step step, KubeException error) {}

  /**
   * @param applied every object applied (or dry-run), in order
   * @param failure the refusal that stopped the deploy, or null
   * @param notApplied the steps after the refusal
   */
  public record Report(
      List<Applied> applied, Failure failure, List<Plan.Step> notApplied, boolean dryRun) {
    public boolean complete() {
      return failure == null;
    }

    public long count(Result r) {
      return applied.stream().filter(a -> a.result() == r).count();
    }
  }

  /** Told of progress as it happens. */
  public interface Listener {
    void phase(Phase phase, int objects);

    void applied(Applied a);

    Listener NONE =
        new Listener() {
          @Override
          public void phase(Phase phase, int objects) {}

          @Override
          public void applied(Applied a) {}
        };
  }

  private Applier() {}

  public static Report apply(
      Plan plan, KubeApi kube, boolean dryRun, boolean forceConflicts, Listener listener) {
    List<Applied> done = new ArrayList<>();
    Map<String, Boolean> namespaceExists = new HashMap<>();
    List<Plan.Step> all = plan.steps();
    int index = 0;
    for (Phase phase : Phase.values()) {
      List<Plan.Step> steps = plan.phase(phase);
      if (steps.isEmpty()) {
        continue;
      }
      listener.phase(phase, steps.size());
      for (Plan.Step step : steps) {
        index++;
        try {
          Applied a = applyOne(step, kube, dryRun, forceConflicts, namespaceExists, plan);
          done.add(a);
          listener.applied(a);
        } catch (KubeException e) {
          return new Report(
              done, new Failure(step, e), List.copyOf(all.subList(index, all.size())), dryRun);
        }
      }
    }
    return new Report(done, null, List.of(), dryRun);
  }

  private static Applied applyOne(
      Plan.Step step,
      KubeApi kube,
      boolean dryRun,
      boolean force,
      Map<String, Boolean> namespaceExists,
      Plan plan)
      throws KubeException {
    ObjectRef ref = step.ref();
    if (dryRun && ref.namespace() != null) {
      boolean exists =
          namespaceExists.computeIfAbsent(
              ref.namespace(),
              ns -> {
                try {
                  return kube.get(new ObjectRef("v1", "Namespace", null, ns)).isPresent();
                } catch (KubeException e) {
                  // Let the object's own request report the problem.
                  return true;
                }
              });
      if (!exists) {
        return new Applied(
            step,
            Result.NOT_CHECKED,
            null,
            null,
            "namespace "
                + ref.namespace()
                + " does not exist yet: the API server can check this object only once the deploy has created it");
      }
    }
    if (dryRun && Kinds.of(ref).isEmpty() && !kube.serves(ref.apiVersion(), ref.kind())) {
      boolean crdPlanned =
          plan.steps().stream().anyMatch(s -> s.ref().kind().equals("CustomResourceDefinition"));
      if (crdPlanned) {
        return new Applied(
            step, Result.NOT_CHECKED, null, null, "its CRD is created earlier in this deploy");
      }
    }
    Optional<GenericKubernetesResource> before = kube.get(ref);
    GenericKubernetesResource after = kube.apply(step.object(), dryRun, force);
    Result r;
    if (before.isEmpty()) {
      r = Result.CREATED;
    } else if (!dryRun && rv(before.get()) != null && rv(after) != null) {
      r = Objects.equals(rv(before.get()), rv(after)) ? Result.UNCHANGED : Result.CONFIGURED;
    } else {
      r =
          Normalized.of(before.get()).equals(Normalized.of(after))
              ? Result.UNCHANGED
              : Result.CONFIGURED;
    }
    return new Applied(step, r, before.orElse(null), after, "");
  }

  private static String rv(GenericKubernetesResource o) {
    return o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
  }
}
