package dev.vigil.render.k8s;

import dev.vigil.render.ImageRef;
import dev.vigil.render.RenderContext;
import dev.vigil.spec.model.Resources;
import dev.vigil.spec.types.Quantity;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the objects every component needs, hardened the same way: labels, ServiceAccount, security
 * contexts, resources, probes, Service, PDB. One per component render (or per instance, for the
 * integrations' exporters).
 */
public final class ComponentObjects {
  /** Annotation listing the lint rules an object is exempt from; see docs/lint.md. */
  public static final String IGNORE = "vigil.dev/ignore";

  public static final String IGNORE_REASON = "vigil.dev/ignore-reason";

  private final RenderContext ctx;
  private final String name;
  private final String namespace;
  private final String role;
  private final String image;

  public ComponentObjects(
      RenderContext ctx, String name, String namespace, String role, String image) {
    this.ctx = ctx;
    this.name = name;
    this.namespace = namespace;
    this.role = role;
    this.image = image;
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public String image() {
    return image;
  }

  public RenderContext ctx() {
    return ctx;
  }

  public Map<String, String> labels() {
    return Labels.all(name, ctx.instance(), role, ImageRef.version(image));
  }

  public Map<String, String> selectorLabels() {
    return Labels.selector(name, ctx.instance());
  }

  public LabelSelector selector() {
    return new LabelSelectorBuilder().withMatchLabels(selectorLabels()).build();
  }

  public ObjectMeta meta(String objectName) {
    return new ObjectMetaBuilder()
        .withName(objectName)
        .withNamespace(namespace)
        .withLabels(labels())
        .build();
  }

  /** Metadata for cluster-scoped objects (ClusterRole, ClusterRoleBinding, PriorityClass). */
  public ObjectMeta clusterMeta(String objectName) {
    return new ObjectMetaBuilder().withName(objectName).withLabels(labels()).build();
  }

  /** The component's own ServiceAccount; the token is mounted only where the API is used. */
  public ServiceAccount serviceAccount(boolean automountToken) {
    return new ServiceAccountBuilder()
        .withMetadata(meta(name))
        .withAutomountServiceAccountToken(automountToken)
        .build();
  }

  /** Pod-level security: non-root with the given ids, seccomp RuntimeDefault. */
  public static PodSecurityContext podSecurity(long uid, long gid) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(uid)
        .withRunAsGroup(gid)
        .withFsGroup(gid)
        .withFsGroupChangePolicy("OnRootMismatch")
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** Container security: no privilege escalation, read-only root, every capability dropped. */
  public static SecurityContext containerSecurity() {
    return containerSecurity(new CapabilitiesBuilder().withDrop("ALL").build());
  }

  public static SecurityContext containerSecurity(Capabilities capabilities) {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withRunAsNonRoot(true)
        .withCapabilities(capabilities)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** A container with the component image, hardened security context and resources. */
  public ContainerBuilder container(
      String containerName, String containerImage, ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(containerName)
        .withImage(containerImage)
        .withImagePullPolicy("IfNotPresent")
        .withSecurityContext(containerSecurity())
        .withResources(resources)
        .withTerminationMessagePolicy("FallbackToLogsOnError");
  }

  /**
   * Resources: the component's defaults, each value replaced where the spec sets it.
   *
   * @param defaults cpu request, memory request, cpu limit, memory limit
   */
  public static ResourceRequirements resources(Resources spec, String... defaults) {
    Map<String, String> req = new TreeMap<>();
    Map<String, String> lim = new TreeMap<>();
    req.put("cpu", defaults[0]);
    req.put("memory", defaults[1]);
    lim.put("cpu", defaults[2]);
    lim.put("memory", defaults[3]);
    if (spec != null) {
      override(req, spec.requests());
      override(lim, spec.limits());
    }
    ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
    req.forEach((k, v) -> b.addToRequests(k, new io.fabric8.kubernetes.api.model.Quantity(v)));
    lim.forEach((k, v) -> b.addToLimits(k, new io.fabric8.kubernetes.api.model.Quantity(v)));
    return b.build();
  }

  private static void override(Map<String, String> target, Resources.Amounts amounts) {
    if (amounts == null) {
      return;
    }
    put(target, "cpu", amounts.cpu());
    put(target, "memory", amounts.memory());
  }

  private static void put(Map<String, String> target, String key, Quantity q) {
    if (q != null) {
      target.put(key, q.text());
    }
  }

  public static Probe httpProbe(
      String path, String port, int initialDelay, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  public static ServicePort port(String portName, int port, String targetPort) {
    return new ServicePortBuilder()
        .withName(portName)
        .withPort(port)
        .withProtocol("TCP")
        .withTargetPort(new IntOrString(targetPort))
        .build();
  }

  /** A ClusterIP Service, or NodePort when {@code nodePort} is positive (homelab exposure). */
  public Service service(String serviceName, int nodePort, ServicePort... ports) {
    List<ServicePort> list = new ArrayList<>();
    for (ServicePort p : ports) {
      list.add(new ServicePortBuilder(p).build());
    }
    boolean exposed = nodePort > 0;
    if (exposed) {
      list.get(0).setNodePort(nodePort);
    }
    return new ServiceBuilder()
        .withMetadata(meta(serviceName))
        .withNewSpec()
        .withType(exposed ? "NodePort" : "ClusterIP")
        .withSelector(selectorLabels())
        .withPorts(list)
        .endSpec()
        .build();
  }

  /** A headless Service giving StatefulSet pods stable DNS names. */
  public Service headlessService(String serviceName, ServicePort... ports) {
    return new ServiceBuilder()
        .withMetadata(meta(serviceName))
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(selectorLabels())
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /** Keeps at least one pod during voluntary disruptions; for singletons, at most one down. */
  public PodDisruptionBudget pdb(int replicas) {
    PodDisruptionBudgetBuilder b = new PodDisruptionBudgetBuilder().withMetadata(meta(name));
    if (replicas > 1) {
      return b.withNewSpec()
          .withMinAvailable(new IntOrString(replicas - 1))
          .withSelector(selector())
          .endSpec()
          .build();
    }
    return b.withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withSelector(selector())
        .endSpec()
        .build();
  }

  /**
   * The claim template of a StatefulSet's data volume, named "data": ReadWriteOnce, of the given
   * size, in the given StorageClass (the cluster default when null).
   */
  public io.fabric8.kubernetes.api.model.PersistentVolumeClaim dataClaim(
      String size, String storageClass) {
    return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName("data")
        .withLabels(selectorLabels())
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(storageClass)
        .withNewResources()
        .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  public ConfigMap configMap(String configMapName, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withMetadata(meta(configMapName))
        .withData(new TreeMap<>(data))
        .build();
  }

  /** Annotations that exempt an object from lint rules, with the reason the exemption is safe. */
  public static Map<String, String> exemption(String reason, String... rules) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(IGNORE, String.join(",", rules));
    m.put(IGNORE_REASON, reason);
    return m;
  }
}
