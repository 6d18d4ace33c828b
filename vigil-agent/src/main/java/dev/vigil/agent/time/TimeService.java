package dev.vigil.agent.time;

import dev.vigil.agent.AgentContext;
import dev.vigil.agent.AgentService;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.time.TimeSpec;
import dev.vigil.time.Chronyc;
import dev.vigil.time.NtpMeasurement;
import dev.vigil.time.NtpResponder;
import dev.vigil.time.NtpServer;
import dev.vigil.time.SntpClient;
import dev.vigil.time.TimeProbe;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The time probe of {@code vigil agent}: SNTP rounds against the spec's upstream servers and the
 * other nodes (peer mesh), the local chrony's view, and, when the spec asks for it, an NTP
 * responder the other nodes' agents measure this node through.
 */
public final class TimeService implements AgentService {
  private static final Logger LOG = Logger.getLogger(TimeService.class.getName());

  /** Pause between two requests to one server: public servers dislike bursts. */
  static final Duration SPACING = Duration.ofSeconds(2);

  /** What the service will do, worked out from the spec before anything starts. */
  public record Plan(
      List<NtpServer> upstream,
      List<NtpServer> peers,
      boolean chrony,
      InetAddress responderAddress,
      int responderPort,
      Duration interval,
      int samples,
      Duration timeout) {

    /** One line per part for the agent's start-up summary. */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      sb.append("every ")
          .append(interval.toSeconds())
          .append("s, upstream ")
          .append(names(upstream));
      sb.append(", peers ").append(peers.isEmpty() ? "none" : names(peers));
      sb.append(", chrony ").append(chrony ? "read" : "not read");
      sb.append(", responder ")
          .append(
              responderAddress == null
                  ? "off"
                  : "udp " + responderAddress.getHostAddress() + ":" + responderPort);
      return sb.toString();
    }

    private static String names(List<NtpServer> servers) {
      return servers.stream().map(NtpServer::toString).toList().toString();
    }
  }

  private final Plan plan;
  private final Chronyc chronyc;
  private TimeProbe probe;
  private NtpResponder responder;

  public TimeService(Plan plan, Chronyc chronyc) {
    this.plan = plan;
    this.chronyc = plan.chrony() ? (chronyc != null ? chronyc : Chronyc.local()) : null;
  }

  /**
   * The plan for one node of a station: upstream from {@code time.upstream} (or the public default
   * set), peers = every other node at {@code probe.peerPort}, the responder on this node's address.
   * {@code localNode} may be null (a host that is not one of the spec's nodes): then every node is
   * a peer and the responder, if any, listens on all addresses.
   */
  public static Plan plan(Station station, Node localNode) throws java.net.UnknownHostException {
    TimeSpec time = station.time();
    TimeSpec.TimeProbeSpec p = time.probe();
    List<NtpServer> upstream = time.effectiveUpstream().stream().map(NtpServer::parse).toList();
    List<NtpServer> peers = new ArrayList<>();
    if (p.peers() && station.nodes() != null) {
      for (Node n : station.nodes()) {
        if (localNode != null && n.name().equals(localNode.name())) {
          continue;
        }
        peers.add(new NtpServer(n.address().text(), p.peerPort()));
      }
    }
    InetAddress responderAddress = null;
    if (p.responder()) {
      responderAddress =
          localNode == null
              ? InetAddress.getByName("0.0.0.0")
              : InetAddress.getByName(localNode.address().text());
    }
    return new Plan(
        upstream,
        List.copyOf(peers),
        p.chrony(),
        responderAddress,
        p.responderPort(),
        p.interval(),
        p.samplesPerServer(),
        p.timeout());
  }

  @Override
  public String name() {
    return "time";
  }

  @Override
  public void start(AgentContext ctx) throws Exception {
    SntpClient client =
        SntpClient.builder()
            .samples(plan.samples())
            .timeout(plan.timeout())
            .spacing(SPACING)
            .build();
    probe =
        TimeProbe.builder()
            .registry(ctx.registry())
            .upstream(plan.upstream())
            .peers(plan.peers())
            .interval(plan.interval())
            .client(client)
            .chronyc(chronyc)
            .buildAndStart();
    if (plan.responderAddress() != null) {
      responder =
          NtpResponder.builder()
              .bindAddress(plan.responderAddress())
              .port(plan.responderPort())
              .syncState(probe::responderState)
              .buildAndStart();
    }
    LOG.info("time probe: " + plan.describe());
  }

  /** The probe's last round, once one has run. */
  public Optional<TimeProbe.Round> lastRound() {
    return probe == null ? Optional.empty() : probe.lastRound();
  }

  /** The responder's UDP port (resolved when the spec asked for port 0), or -1 when off. */
  public int responderPort() {
    return responder == null ? -1 : responder.getPort();
  }

  /**
   * Alive while running; always ready: an unreachable time source is what the probe reports through
   * its metrics and alerts, not a reason to take the agent out of service.
   */
  @Override
  public Health health() {
    Optional<TimeProbe.Round> r = lastRound();
    if (r.isEmpty()) {
      return Health.ok("first round running");
    }
    long trusted = 0;
    long total = 0;
    for (Map.Entry<TimeProbe.Target, NtpMeasurement> e : r.get().measurements().entrySet()) {
      if (e.getKey().role() == TimeProbe.Role.UPSTREAM) {
        total++;
        if (e.getValue().trustedSample().isPresent()) {
          trusted++;
        }
      }
    }
    return Health.ok(trusted + "/" + total + " upstream servers trusted");
  }

  @Override
  public void close() {
    if (responder != null) {
      responder.close();
    }
    if (probe != null) {
      probe.close();
    }
  }
}
