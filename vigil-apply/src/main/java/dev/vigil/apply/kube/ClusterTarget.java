package dev.vigil.apply.kube;

/**
 * Which cluster a command talks to, as every message names it.
 *
 * @param context the kubeconfig context ("in-cluster" for a service account)
 * @param server the API server URL
 * @param user the kubeconfig user, or "" when unknown
 */
public record ClusterTarget(String context, String server, String user) {
  public ClusterTarget {
    context = context == null ? "" : context;
    server = server == null ? "" : server.replaceAll("/+$", "");
    user = user == null ? "" : user;
  }

  /** "context kind-lab (https://127.0.0.1:6443)". */
  @Override
  public String toString() {
    return (context.isEmpty() ? "" : "context " + context + " ") + "(" + server + ")";
  }
}
