package dev.vigil.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vigil diff}: what a deploy would change, object by object, as the API server itself would
 * apply it (a server-side dry run, so defaults, admission and field ownership are the server's)
 * compared with the live object.
 */
public final class Differ {
  /** One object's difference; {@code text} is a unified diff, "" when nothing would change. */
  public record ObjectDiff(ObjectRef ref, Applier.Result result, String text, String note) {}

  private Differ() {}

  public static List<ObjectDiff> diffs(Applier.Report report) {
    List<ObjectDiff> out = new ArrayList<>();
    for (Applier.Applied a : report.applied()) {
      ObjectRef ref = a.step().ref();
      String label = ref.toString();
      String text =
          switch (a.result()) {
            case UNCHANGED -> "";
            case NOT_CHECKED ->
                LineDiff.unified(
                    "",
                    Normalized.yaml(a.step().object()),
                    "live " + label + " (absent)",
                    "rendered " + label + " (not checked by the server)");
            case CREATED ->
                LineDiff.unified(
                    "",
                    Normalized.yaml(a.after()),
                    "live " + label + " (absent)",
                    "applied " + label + " (server dry run)");
            case CONFIGURED ->
                LineDiff.unified(
                    yaml(a.before()),
                    yaml(a.after()),
                    "live " + label,
                    "applied " + label + " (server dry run)");
          };
      out.add(new ObjectDiff(ref, a.result(), text, a.note()));
    }
    return out;
  }

  private static String yaml(GenericKubernetesResource o) {
    return Normalized.yaml(o);
  }
}
