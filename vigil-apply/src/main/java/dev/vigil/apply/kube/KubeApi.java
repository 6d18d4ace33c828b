package dev.vigil.apply.kube;

import dev.vigil.apply.Kinds;
import dev.vigil.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Vigil asks of a Kubernetes API server. The planner, the preflight checks, the waiter and the
 * stack checks see only this; {@link Fabric8Kube} speaks to a real API server, tests give an
 * in-memory one, so the same code runs against both.
 */
public interface KubeApi extends Closeable {
  /** The cluster this talks to. */
  ClusterTarget target();

  /**
   * The server's version ({@code GET /version}). Credentials are checked on every request, this one
   * included, so it proves the server is reachable and accepts them.
   */
  String serverVersion() throws KubeException;

  /** The live object, if it exists. */
  Optional<GenericKubernetesResource> get(ObjectRef ref) throws KubeException;

  /**
   * Objects of a kind carrying every label given; in every namespace when {@code namespace} is
   * null.
   */
  List<GenericKubernetesResource> list(
      Kinds.Kind kind, String namespace, Map<String, String> labels) throws KubeException;

  /**
   * Server-side apply of {@code object} with field manager {@code vigil}; with {@code dryRun} the
   * server runs every check and admission step and stores nothing. Returns the object as the server
   * has (or would have) it.
   */
  GenericKubernetesResource apply(HasMetadata object, boolean dryRun, boolean forceConflicts)
      throws KubeException;

  void delete(ObjectRef ref) throws KubeException;

  /** Whether the server serves {@code kind} in {@code apiVersion} (its CRD is installed). */
  boolean serves(String apiVersion, String kind) throws KubeException;

  /** The keys of a Secret (never its values), or empty when it does not exist. */
  Optional<Set<String>> secretKeys(String namespace, String name) throws KubeException;

  /** One value of a Secret, decoded, or empty when the Secret or the key does not exist. */
  Optional<String> secretValue(String namespace, String name, String key) throws KubeException;

  /**
   * Whether the caller may {@code verb} the resource ({@code SelfSubjectAccessReview}); a null
   * namespace asks for the cluster scope.
   */
  boolean allowed(String verb, String group, String resource, String namespace)
      throws KubeException;

  /** The last lines a container wrote; of its previous run when {@code previous}. */
  String log(String namespace, String pod, String container, boolean previous, int tailLines)
      throws KubeException;

  /** A tunnel to a port of a Service (or a pod: kind "pod") through the API server. */
  Forward forward(String namespace, String kind, String name, int port) throws KubeException;

  /** An open port-forward: a loopback port that reaches the remote one. */
  interface Forward extends Closeable {
    int localPort();

    /** http://127.0.0.1:port */
    default String url() {
      return "http://127.0.0.1:" + localPort();
    }

    @Override
    void close();
  }

  @Override
  void close();
}
