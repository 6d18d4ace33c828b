package dev.vigil.apply.kube;

/**
 * The API server could not be asked, or refused. The message is written for the person at the
 * terminal: it names the cluster, the object or the verb, and what to do.
 */
public final class KubeException extends Exception {
  /** Why the request failed. */
  public enum Reason {
    /** No answer: wrong address, DNS, TLS, a down API server, no kubeconfig. */
    UNREACHABLE,
    /** 401: the credentials are expired, revoked or wrong. */
    UNAUTHORIZED,
    /** 403: RBAC (or an admission webhook) refused the verb on the resource. */
    FORBIDDEN,
    NOT_FOUND,
    /** 409: a server-side apply conflict (fields owned by another manager). */
    CONFLICT,
    /** 422 or 400: the server refused the object itself. */
    INVALID,
    OTHER
  }

  private final Reason reason;
  private final int status;

  public KubeException(Reason reason, int status, String message) {
    super(message);
    this.reason = reason;
    this.status = status;
  }

  public Reason reason() {
    return reason;
  }

  /** HTTP status, 0 when there was no answer. */
  public int status() {
    return status;
  }

  /**
   * Whether the fault is the caller's access (credentials, reachability, RBAC), not the objects.
   */
  public boolean accessProblem() {
    return reason == Reason.UNREACHABLE
        || reason == Reason.UNAUTHORIZED
        || reason == Reason.FORBIDDEN;
  }
}
