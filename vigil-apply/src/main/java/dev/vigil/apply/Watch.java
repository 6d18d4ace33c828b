package dev.vigil.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One thing a deploy waits for: a workload to roll out, a Job to complete, a claim to be bound.
 * {@code pods} selects the workload's pods, to say why it is not ready yet.
 */
public record Watch(String component, ObjectRef ref, Map<String, String> pods) {
  /** What the applied plan must wait for, component by component, in apply order. */
  public static List<Watch> of(Plan plan) {
    List<Watch> out = new ArrayList<>();
    for (Plan.Step s : plan.steps()) {
      HasMetadata o = s.object();
      String ns = s.ref().namespace();
      if (o instanceof Deployment d) {
        out.add(new Watch(s.component(), s.ref(), labels(d.getSpec().getSelector())));
      } else if (o instanceof DaemonSet d) {
        out.add(new Watch(s.component(), s.ref(), labels(d.getSpec().getSelector())));
      } else if (o instanceof StatefulSet st) {
        out.add(new Watch(s.component(), s.ref(), labels(st.getSpec().getSelector())));
        int replicas = st.getSpec().getReplicas() == null ? 1 : st.getSpec().getReplicas();
        if (st.getSpec().getVolumeClaimTemplates() != null) {
          for (PersistentVolumeClaim t : st.getSpec().getVolumeClaimTemplates()) {
            for (int i = 0; i < replicas; i++) {
              String claim = t.getMetadata().getName() + "-" + st.getMetadata().getName() + "-" + i;
              out.add(
                  new Watch(
                      s.component(),
                      new ObjectRef("v1", "PersistentVolumeClaim", ns, claim),
                      Map.of()));
            }
          }
        }
      } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
        Map<String, String> sel =
            j.getSpec() != null && j.getSpec().getSelector() != null
                ? labels(j.getSpec().getSelector())
                : Map.of("job-name", j.getMetadata().getName());
        out.add(new Watch(s.component(), s.ref(), sel));
      } else if (o instanceof PersistentVolumeClaim) {
        out.add(new Watch(s.component(), s.ref(), Map.of()));
      }
    }
    return out;
  }

  private static Map<String, String> labels(LabelSelector sel) {
    return sel == null || sel.getMatchLabels() == null ? Map.of() : sel.getMatchLabels();
  }

  /** Whether it counts pods or nodes (a workload) rather than a claim. */
  public boolean workload() {
    return !ref.kind().equals("PersistentVolumeClaim");
  }
}
