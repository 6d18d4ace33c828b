package dev.vigil.agent;

import dev.vigil.http.Limits;
import dev.vigil.testing.http.HostileHttpSuite;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hostile-client suite against the agent's metrics and health listener with its default limits;
 * the well-behaved client is the kubelet's liveness probe.
 */
class AgentHttpHostileIT extends HostileHttpSuite {
  @Override
  protected Endpoint start() throws Exception {
    Path data = Files.createTempDirectory("vigil-agent-hostile");
    Agent agent =
        Agent.builder().httpAddress("127.0.0.1").httpPort(0).dataDir(data).buildAndStart();
    Limits limits = Limits.defaults();
    return new Endpoint(
        agent.getHttpPort(),
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kube-probe/1.31\r\nConnection: close\r\n\r\n",
        200,
        limits.headerTimeout(),
        limits.writeTimeout(),
        limits.maxConnections(),
        limits.maxConnectionsPerSource(),
        limits.maxHeaderBytes(),
        limits.maxBodyBytes(),
        () -> {
          agent.close();
          Files.deleteIfExists(data);
        });
  }
}
