package dev.vigil.verify.stack;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the checks reach the stack's APIs: a URL given on the command line ({@code --url
 * prometheus=http://...}), else a port-forward through the API server to the Service or pod — which
 * needs no NodePort, no Ingress and no route from the laptop to the pod network, and which the
 * stack's NetworkPolicies do not stop (the kubelet connects inside the pod's own network).
 */
public final class Reach implements Closeable {
  /** Not reachable; the message says why. */
  public static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  private final Map<String, String> urls;
  private final KubeApi kube;
  private final String kubeProblem;
  private final List<KubeApi.Forward> open = new ArrayList<>();
  private final Map<String, String> forwarded = new LinkedHashMap<>();

  /**
   * @param urls given addresses by key ("prometheus", "alertmanager", "alertmanager-0", "loki",
   *     "grafana", "syslog" as host:port)
   * @param kube the cluster, or null when there is none to forward through
   * @param kubeProblem why there is no cluster, for the message
   */
  public Reach(Map<String, String> urls, KubeApi kube, String kubeProblem) {
    this.urls = Map.copyOf(urls);
    this.kube = kube;
    this.kubeProblem = kubeProblem;
  }

  public boolean given(String key) {
    return urls.containsKey(key);
  }

  /**
   * The base URL of {@code key}: given, or a port-forward to {@code kind} ("service"/"pod")
   * namespace/name:port.
   */
  public String url(String key, String kind, String namespace, String name, int port)
      throws Unreachable {
    String given = urls.get(key);
    if (given != null) {
      return given.replaceAll("/+$", "");
    }
    String id = kind + " " + namespace + "/" + name + ":" + port;
    String done = forwarded.get(id);
    if (done != null) {
      return done;
    }
    if (kube == null) {
      throw new Unreachable(
          "no --url " + key + "=URL and no cluster to port-forward through (" + kubeProblem + ")");
    }
    try {
      KubeApi.Forward f = kube.forward(namespace, kind, name, port);
      open.add(f);
      forwarded.put(id, f.url());
      return f.url();
    } catch (KubeException e) {
      throw new Unreachable("port-forward to " + id + " failed: " + e.getMessage());
    }
  }

  /** How {@code key} is reached, for the report. */
  public String how(String key, String kind, String namespace, String name, int port) {
    return urls.containsKey(key)
        ? urls.get(key)
        : "port-forward to " + kind + " " + namespace + "/" + name + ":" + port;
  }

  @Override
  public void close() {
    open.forEach(KubeApi.Forward::close);
    open.clear();
    forwarded.clear();
  }
}
