package dev.vigil.apply.kube;

import dev.vigil.apply.Kinds;
import dev.vigil.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ServerSideApplicable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLException;

/**
 * {@link KubeApi} over the fabric8 {@link KubernetesClient}. Only the client's API is used, never
 * its HTTP implementation, so the transport underneath may change without this class noticing.
 * Every failure becomes a {@link KubeException} that names the cluster and what was refused.
 */
public final class Fabric8Kube implements KubeApi {
  /** The field manager of every server-side apply: the owner of the fields Vigil sets. */
  public static final String FIELD_MANAGER = "vigil";

  private final KubernetesClient client;
  private final ClusterTarget target;
  private final KubernetesSerialization serialization;

  public Fabric8Kube(KubernetesClient client, ClusterTarget target) {
    this.client = client;
    this.target = target;
    this.serialization = client.getKubernetesSerialization();
  }

  /**
   * Connects as kubectl would: the given kubeconfig file, else $KUBECONFIG or ~/.kube/config, else
   * the pod's service account; the given context, else the current one.
   */
  public static Fabric8Kube connect(Path kubeconfig, String context, Duration requestTimeout)
      throws KubeException {
    Config config;
    if (kubeconfig != null) {
      String text;
      try {
        text = Files.readString(kubeconfig);
      } catch (IOException e) {
        throw new KubeException(
            KubeException.Reason.UNREACHABLE,
            0,
            "cannot read the kubeconfig " + kubeconfig + " (" + e.getClass().getSimpleName() + ")");
      }
      try {
        config = Config.fromKubeconfig(context, text, kubeconfig.toString());
      } catch (RuntimeException e) {
        throw new KubeException(
            KubeException.Reason.UNREACHABLE,
            0,
            "cannot use the kubeconfig " + kubeconfig + ": " + e.getMessage());
      }
    } else {
      config = Config.autoConfigure(context);
    }
    boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
    NamedContext current = config.getCurrentContext();
    if (context != null && (current == null || !context.equals(current.getName()))) {
      Set<String> names = new TreeSet<>();
      if (config.getContexts() != null) {
        config.getContexts().forEach(c -> names.add(c.getName()));
      }
      throw new KubeException(
          KubeException.Reason.UNREACHABLE,
          0,
          "--context "
              + context
              + ": no such context in the kubeconfig"
              + (names.isEmpty() ? "" : " (contexts: " + String.join(", ", names) + ")"));
    }
    if (current == null && !inCluster && kubeconfig == null) {
      throw new KubeException(
          KubeException.Reason.UNREACHABLE,
          0,
          "no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod: give --kubeconfig or set KUBECONFIG");
    }
    int ms = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
    Config tuned =
        new ConfigBuilder(config)
            .withRequestTimeout(ms)
            .withConnectionTimeout(Math.min(ms, 10_000))
            // One attempt: an unreachable server is reported at once, not after a minute of
            // backoff.
            .withRequestRetryBackoffLimit(0)
            .build();
    ClusterTarget t =
        new ClusterTarget(
            current != null ? current.getName() : "in-cluster",
            tuned.getMasterUrl(),
            current != null && current.getContext() != null ? current.getContext().getUser() : "");
    return new Fabric8Kube(new KubernetesClientBuilder().withConfig(tuned).build(), t);
  }

  @Override
  public ClusterTarget target() {
    return target;
  }

  @Override
  public String serverVersion() throws KubeException {
    try {
      var v = client.getKubernetesVersion();
      return v.getGitVersion();
    } catch (KubernetesClientException e) {
      throw map(e, "read the server version");
    }
  }

  private static ResourceDefinitionContext context(Kinds.Kind k) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(k.group())
        .withVersion(k.version())
        .withKind(k.kind())
        .withPlural(k.plural())
        .withNamespaced(k.namespaced())
        .build();
  }

  private MixedOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>>
      resources(ObjectRef ref) {
    Optional<Kinds.Kind> k = Kinds.of(ref);
    if (k.isPresent() && k.get().version().equals(ref.version())) {
      return client.genericKubernetesResources(context(k.get()));
    }
    return client.genericKubernetesResources(ref.apiVersion(), ref.kind());
  }

  private Resource<GenericKubernetesResource> resource(ObjectRef ref) {
    var ops = resources(ref);
    return ref.namespace() == null
        ? ops.withName(ref.name())
        : ops.inNamespace(ref.namespace()).withName(ref.name());
  }

  @Override
  public Optional<GenericKubernetesResource> get(ObjectRef ref) throws KubeException {
    try {
      return Optional.ofNullable(resource(ref).get());
    } catch (KubernetesClientException e) {
      throw map(e, "get " + ref);
    }
  }

  @Override
  public List<GenericKubernetesResource> list(
      Kinds.Kind kind, String namespace, Map<String, String> labels) throws KubeException {
    try {
      var ops = client.genericKubernetesResources(context(kind));
      var listed =
          !kind.namespaced()
              ? ops.withLabels(labels).list()
              : namespace == null
                  ? ops.inAnyNamespace().withLabels(labels).list()
                  : ops.inNamespace(namespace).withLabels(labels).list();
      return listed.getItems() == null ? List.of() : listed.getItems();
    } catch (KubernetesClientException e) {
      throw map(e, "list " + kind.plural() + (namespace == null ? "" : " in " + namespace));
    }
  }

  @Override
  public GenericKubernetesResource apply(HasMetadata object, boolean dryRun, boolean forceConflicts)
      throws KubeException {
    try {
      var r = client.resource(object);
      NonDeletingOperation<HasMetadata> op = dryRun ? r.dryRun() : r;
      ServerSideApplicable<HasMetadata> ssa = op.fieldManager(FIELD_MANAGER);
      if (forceConflicts) {
        ssa = ssa.forceConflicts();
      }
      HasMetadata result = ssa.serverSideApply();
      return serialization.convertValue(result, GenericKubernetesResource.class);
    } catch (KubernetesClientException e) {
      throw map(e, "apply " + ObjectRef.of(object));
    }
  }

  @Override
  public void delete(ObjectRef ref) throws KubeException {
    try {
      resource(ref).delete();
    } catch (KubernetesClientException e) {
      throw map(e, "delete " + ref);
    }
  }

  @Override
  public boolean serves(String apiVersion, String kind) throws KubeException {
    try {
      APIResourceList list = client.getApiResources(apiVersion);
      if (list == null || list.getResources() == null) {
        return false;
      }
      for (APIResource r : list.getResources()) {
        if (kind.equals(r.getKind()) && !r.getName().contains("/")) {
          return true;
        }
      }
      return false;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw map(e, "discover " + apiVersion);
    }
  }

  private Optional<Secret> secret(String namespace, String name) throws KubeException {
    try {
      return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      throw map(e, "get Secret " + namespace + "/" + name);
    }
  }

  @Override
  public Optional<Set<String>> secretKeys(String namespace, String name) throws KubeException {
    return secret(namespace, name)
        .map(
            s -> {
              Set<String> keys = new TreeSet<>();
              if (s.getData() != null) {
                keys.addAll(s.getData().keySet());
              }
              if (s.getStringData() != null) {
                keys.addAll(s.getStringData().keySet());
              }
              return keys;
            });
  }

  @Override
  public Optional<String> secretValue(String namespace, String name, String key)
      throws KubeException {
    Optional<Secret> s = secret(namespace, name);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    if (s.get().getData() != null && s.get().getData().containsKey(key)) {
      return Optional.of(
          new String(
              Base64.getDecoder().decode(s.get().getData().get(key)), StandardCharsets.UTF_8));
    }
    if (s.get().getStringData() != null) {
      return Optional.ofNullable(s.get().getStringData().get(key));
    }
    return Optional.empty();
  }

  @Override
  public boolean allowed(String verb, String group, String resource, String namespace)
      throws KubeException {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withVerb(verb)
            .withGroup(group)
            .withResource(resource)
            .withNamespace(namespace)
            .endResourceAttributes()
            .endSpec()
            .build();
    try {
      SelfSubjectAccessReview answer =
          client.authorization().v1().selfSubjectAccessReview().create(review);
      return answer != null
          && answer.getStatus() != null
          && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    } catch (KubernetesClientException e) {
      throw map(e, "ask whether it may " + verb + " " + resource);
    }
  }

  @Override
  public String log(String namespace, String pod, String container, boolean previous, int tailLines)
      throws KubeException {
    try {
      var c = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
      String text =
          previous
              ? c.terminated().tailingLines(tailLines).getLog()
              : c.tailingLines(tailLines).getLog();
      return text == null ? "" : text;
    } catch (KubernetesClientException e) {
      throw map(e, "read the log of " + namespace + "/" + pod + " (" + container + ")");
    }
  }

  @Override
  public Forward forward(String namespace, String kind, String name, int port)
      throws KubeException {
    try {
      LocalPortForward f =
          kind.equals("pod")
              ? client.pods().inNamespace(namespace).withName(name).portForward(port)
              : client.services().inNamespace(namespace).withName(name).portForward(port);
      return new Forward() {
        @Override
        public int localPort() {
          return f.getLocalPort();
        }

        @Override
        public void close() {
          try {
            f.close();
          } catch (IOException e) {
            // The tunnel is gone either way.
          }
        }
      };
    } catch (KubernetesClientException e) {
      throw map(e, "port-forward to " + kind + " " + namespace + "/" + name + ":" + port);
    }
  }

  /** A fabric8 failure as a message that names the cluster, what was tried and what to do. */
  KubeException map(KubernetesClientException e, String what) {
    int code = e.getCode();
    String server =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : null;
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (code == 0 || code == -1) {
      String cause = describe(e, root);
      return new KubeException(
          KubeException.Reason.UNREACHABLE,
          0,
          "cannot reach the Kubernetes API server of "
              + target
              + " to "
              + what
              + ": "
              + cause
              + ". Is the cluster up, and is this the right context? (kubectl config current-context; --context NAME)");
    }
    return switch (code) {
      case 401 ->
          new KubeException(
              KubeException.Reason.UNAUTHORIZED,
              401,
              "the API server of "
                  + target
                  + " refused the credentials of "
                  + (target.user().isEmpty() ? "this context" : "user " + target.user())
                  + " (401 Unauthorized) when trying to "
                  + what
                  + ": they have expired or been revoked; log in again or refresh the kubeconfig, then retry");
      case 403 ->
          new KubeException(
              KubeException.Reason.FORBIDDEN,
              403,
              "RBAC refused to "
                  + what
                  + " on "
                  + target
                  + ": "
                  + (server != null ? server : "403 Forbidden"));
      case 404 ->
          new KubeException(
              KubeException.Reason.NOT_FOUND,
              404,
              what + ": not found" + (server != null ? " (" + server + ")" : ""));
      case 409 ->
          new KubeException(
              KubeException.Reason.CONFLICT,
              409,
              what + ": " + (server != null ? server : "conflict"));
      case 400, 422 ->
          new KubeException(
              KubeException.Reason.INVALID,
              code,
              what + ": the API server refused it: " + (server != null ? server : "HTTP " + code));
      default ->
          new KubeException(
              KubeException.Reason.OTHER,
              code,
              what
                  + ": HTTP "
                  + code
                  + (server != null
                      ? ": " + server
                      : e.getMessage() != null ? ": " + e.getMessage() : ""));
    };
  }

  /**
   * What went wrong, from the first cause in the chain that says it: the JDK's HTTP client reports
   * a refused connection as a ConnectException around a ClosedChannelException.
   */
  private static String describe(Throwable top, Throwable root) {
    for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + root.getMessage();
    }
    if (root instanceof SSLException) {
      return "TLS failed (" + root.getMessage() + ")";
    }
    if (root instanceof java.net.http.HttpTimeoutException
        || root instanceof java.util.concurrent.TimeoutException
        || root instanceof java.net.SocketTimeoutException) {
      return "no answer in time";
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  @Override
  public void close() {
    client.close();
  }
}
