package dev.vigil.agent;

import java.io.Closeable;

/**
 * One capability of the agent (syslog gateway, time probe, power manager). The agent starts its
 * services in order, closes them in reverse, and asks each for its health.
 */
public interface AgentService extends Closeable {
  /** Short name used in logs and in the health report ("syslog"). */
  String name();

  /**
   * Starts the service: bind listeners, register metrics, and bind HTTP listeners on the agent's
   * server ({@link AgentContext#http()}) through the context.
   */
  void start(AgentContext context) throws Exception;

  /**
   * Health for {@code /healthz} (alive) and {@code /readyz} (ready to do its work). Answered on the
   * HTTP server's event loop: it reads the service's state and returns, no I/O and no waiting.
   */
  Health health();

  @Override
  void close();

  /** A service's health: alive, ready, and a one-line detail for operators. */
  record Health(boolean alive, boolean ready, String detail) {
    public static Health ok(String detail) {
      return new Health(true, true, detail);
    }
  }
}
