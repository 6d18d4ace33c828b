package dev.vigil.spec;

import dev.vigil.base.DurationText;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Locations;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.model.Access;
import dev.vigil.spec.model.Alerting;
import dev.vigil.spec.model.Alerting.Receiver;
import dev.vigil.spec.model.GrafanaSpec;
import dev.vigil.spec.model.GrafanaSpec.AnonymousRole;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Profile;
import dev.vigil.spec.model.Resources;
import dev.vigil.spec.model.ScrapeTarget;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.Quantity;
import dev.vigil.spec.types.SecretRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks that span more than one field of a station: uniqueness, references between sections, sizes
 * that must fit, and what each profile requires.
 */
final class StationChecks {
  static final Duration MIN_SCRAPE_INTERVAL = Duration.ofSeconds(15);
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern HOST_PORT = Pattern.compile("^[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}$");
  private static final int MAX_LISTED_NAMES = 10;
  private static final Pattern BYTES = Pattern.compile("^\\d+(\\.\\d+)?(B|KB|MB|GB|KiB|MiB|GiB)$");
  private static final Pattern PINNED =
      Pattern.compile("^[^@]+@sha256:[0-9a-f]{64}$|^[^@]*:[^/:@]+$");

  private final Station s;
  private final Locations at;
  private final List<Problem> problems = new ArrayList<>();

  private StationChecks(Station s, Locations at) {
    this.s = s;
    this.at = at;
  }

  static List<Problem> check(Station station, Locations locations) {
    StationChecks c = new StationChecks(station, locations);
    c.header();
    c.nodes();
    c.images();
    c.nodePorts();
    c.ports();
    c.storage();
    c.scraping();
    c.alerting();
    c.grafana();
    c.profile();
    c.syslogService();
    c.resources();
    c.power();
    return c.problems;
  }

  private void error(String path, String message) {
    problems.add(at.problemAt(path, message));
  }

  private void header() {
    if (!Station.API_VERSION.equals(s.apiVersion())) {
      error(
          "apiVersion",
          "expected " + Station.API_VERSION + ", got " + Excerpts.quoted(s.apiVersion()));
    }
    if (!Station.KIND.equals(s.kind())) {
      error("kind", "expected " + Station.KIND + ", got " + Excerpts.quoted(s.kind()));
    }
    if (!DNS_LABEL.matcher(s.cluster().name()).matches()) {
      error(
          "cluster.name",
          "expected a DNS label (lower-case letters, digits and '-', at most 63), got "
              + Excerpts.quoted(s.cluster().name()));
    }
    for (String field : List.of("namespace", "infraNamespace")) {
      String ns =
          field.equals("namespace") ? s.cluster().namespace() : s.cluster().infraNamespace();
      if (!DNS_LABEL.matcher(ns).matches() || ns.length() > 56) {
        error(
            "cluster." + field,
            "expected a namespace name (DNS label of at most 56 characters, so '-agents' fits), got "
                + Excerpts.quoted(ns));
      }
    }
    if (s.cluster().namespace().equals(s.cluster().infraNamespace())) {
      error(
          "cluster.infraNamespace",
          "must differ from cluster.namespace: the two get different Pod Security levels");
    }
  }

  /**
   * Node names, addresses and MACs are unique. Addresses are compared in their canonical form:
   * {@code ::1} and {@code 0:0:0:0:0:0:0:1}, or {@code 10.0.0.1} and {@code ::ffff:10.0.0.1}, are
   * one address written two ways.
   */
  private void nodes() {
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> addresses = new HashMap<>();
    Map<String, Integer> macs = new HashMap<>();
    for (int i = 0; i < s.nodes().size(); i++) {
      Node n = s.nodes().get(i);
      String p = "nodes[" + i + "]";
      if (!DNS_SUBDOMAIN.matcher(n.name()).matches() || n.name().length() > 253) {
        error(
            p + ".name",
            "expected a Kubernetes node name (lower-case DNS subdomain), got "
                + Excerpts.quoted(n.name()));
      }
      duplicate(names, n.name(), i, p + ".name", "node name", n.name());
      Integer first = addresses.putIfAbsent(n.address().canonical(), i);
      if (first != null) {
        String written = s.nodes().get(first).address().text();
        String address = n.address().text();
        error(
            p + ".address",
            "duplicate node address "
                + Excerpts.quoted(address)
                + " (also nodes["
                + first
                + "]"
                + (written.equals(address) ? "" : ", written " + Excerpts.quoted(written))
                + ")");
      }
      if (n.mac() != null) {
        duplicate(macs, n.mac().text(), i, p + ".mac", "MAC address", n.mac().text());
      }
    }
  }

  private void duplicate(
      Map<String, Integer> seen, String key, int index, String path, String what, String shown) {
    Integer first = seen.putIfAbsent(key, index);
    if (first != null) {
      error(
          path,
          "duplicate " + what + " " + Excerpts.quoted(shown) + " (also nodes[" + first + "])");
    }
  }

  private void images() {
    Map<String, String> images = new LinkedHashMap<>();
    var c = s.components();
    images.put("components.prometheus.image", c.prometheus().image());
    images.put("components.alertmanager.image", c.alertmanager().image());
    images.put("components.grafana.image", c.grafana().image());
    images.put("components.loki.image", c.loki().image());
    images.put("components.alloy.image", c.alloy().image());
    images.put("components.nodeExporter.image", c.nodeExporter().image());
    images.put("components.kubeStateMetrics.image", c.kubeStateMetrics().image());
    images.put("components.ipmiExporter.image", c.ipmiExporter().image());
    if (s.images() != null) {
      // Names are checked where the components are known (vigil-render's RegistryChecks).
      new java.util.TreeMap<>(s.images())
          .forEach((name, image) -> images.put("images." + name, image));
    }
    images.forEach(
        (path, image) -> {
          if (image == null) {
            return;
          }
          if (!PINNED.matcher(image).matches() || image.endsWith(":latest")) {
            error(
                path,
                "expected a pinned image (registry/name:tag or name@sha256:digest, not latest), got "
                    + Excerpts.quoted(image));
          }
        });
  }

  /**
   * NodePorts: every one written is in the NodePort range (or 0 for none), whether its component is
   * enabled or not; those in use (the homelab defaults for unset ones) are distinct.
   */
  private void nodePorts() {
    var c = s.components();
    Map<String, Integer> ports = new LinkedHashMap<>();
    boolean homelab = s.profile() == Profile.HOMELAB;
    put(
        ports,
        "components.prometheus.access.nodePort",
        c.prometheus().enabled(),
        c.prometheus().access(),
        homelab ? 30090 : 0);
    put(
        ports,
        "components.alertmanager.access.nodePort",
        c.alertmanager().enabled(),
        c.alertmanager().access(),
        homelab ? 30093 : 0);
    put(
        ports,
        "components.grafana.access.nodePort",
        c.grafana().enabled(),
        c.grafana().access(),
        homelab ? 30300 : 0);
    put(
        ports,
        "components.loki.access.nodePort",
        c.loki().enabled(),
        c.loki().access(),
        homelab ? 31100 : 0);
    Map<Integer, String> used = new HashMap<>();
    ports.forEach(
        (path, port) -> {
          if (port == 0) {
            return;
          }
          String other = used.putIfAbsent(port, path);
          if (other != null) {
            // Point at the port the user wrote, not at a default they may not know about.
            boolean here = at.isWritten(path) || !at.isWritten(other);
            String reported = here ? path : other;
            String clash = here ? other : path;
            error(
                reported,
                "NodePort "
                    + port
                    + " is already used by "
                    + clash
                    + (at.isWritten(clash) ? "" : " (its default)"));
          }
        });
  }

  /** Adds the component's NodePort if it is enabled; reports one outside the NodePort range. */
  private void put(
      Map<String, Integer> ports, String path, boolean enabled, Access access, int dflt) {
    Integer written = access == null ? null : access.nodePort();
    if (written != null && written != 0 && (written < 30000 || written > 32767)) {
      error(path, "expected a NodePort in 30000-32767 (or 0 for none), got " + written);
      return;
    }
    if (enabled) {
      ports.put(path, written != null ? written : dflt);
    }
  }

  /**
   * Ports of the model's own records that nothing else checks; the syslog, time and power records
   * check their ports themselves. host:port strings are checked where their section is.
   */
  private void ports() {
    var c = s.components();
    port("components.nodeExporter.port", c.nodeExporter().port());
    var ldap = c.grafana().auth().ldap();
    if (ldap != null) {
      port("components.grafana.auth.ldap.port", ldap.port());
    }
  }

  private void port(String path, int port) {
    if (port < 1 || port > 65535) {
      error(path, "expected a port in 1-65535, got " + port);
    }
  }

  /**
   * host:port with a port a connection can use (Prometheus and Alertmanager only fail when they
   * dial).
   */
  private void hostPort(String path, String value) {
    if (!HOST_PORT.matcher(value).matches()) {
      error(path, "expected host:port, got " + Excerpts.quoted(value));
      return;
    }
    int port = Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
    if (port < 1 || port > 65535) {
      error(path, "expected host:port with a port in 1-65535, got " + Excerpts.quoted(value));
    }
  }

  private void storage() {
    var prom = s.components().prometheus();
    Quantity volume =
        prom.storage().size() != null ? prom.storage().size() : Quantity.parse("10Gi");
    if (prom.retention().size() != null && prom.retention().size().compareTo(volume) > 0) {
      error(
          "components.prometheus.retention.size",
          "retention size "
              + prom.retention().size()
              + " is larger than the volume ("
              + volume
              + "); Prometheus would fill the disk before deleting");
    }
    var loki = s.components().loki();
    if (loki.retention().size() != null) {
      error(
          "components.loki.retention.size",
          "Loki retains by time only; set components.loki.retention.time and size the volume for it");
    }
    Duration lokiTime = loki.retention().time();
    if (lokiTime != null && lokiTime.toMillis() % 86_400_000L != 0) {
      error(
          "components.loki.retention.time",
          "expected a whole number of days (Loki's index period is 24h), got "
              + (lokiTime.toMillis() % 3_600_000L == 0
                  ? DurationText.hours(lokiTime)
                  : DurationText.format(lokiTime)));
    }
    for (String f : List.of("perStreamRateLimit", "perStreamRateLimitBurst")) {
      String v =
          f.equals("perStreamRateLimit")
              ? loki.limits().perStreamRateLimit()
              : loki.limits().perStreamRateLimitBurst();
      if (!BYTES.matcher(v).matches()) {
        error(
            "components.loki.limits." + f,
            "expected a byte size such as 3MB, got " + Excerpts.quoted(v));
      }
    }
  }

  private void scraping() {
    var prom = s.components().prometheus();
    if (prom.scrapeInterval().compareTo(MIN_SCRAPE_INTERVAL) < 0) {
      error(
          "components.prometheus.scrapeInterval",
          "expected 15s or more (shorter intervals multiply load for no insight), got "
              + DurationText.format(prom.scrapeInterval()));
    }
    if (prom.evaluationInterval().compareTo(MIN_SCRAPE_INTERVAL) < 0) {
      error(
          "components.prometheus.evaluationInterval",
          "expected 15s or more, got " + DurationText.format(prom.evaluationInterval()));
    }
    Set<String> jobs = new HashSet<>();
    for (int i = 0; i < prom.extraScrapeTargets().size(); i++) {
      ScrapeTarget t = prom.extraScrapeTargets().get(i);
      String p = "components.prometheus.extraScrapeTargets[" + i + "]";
      // Names the rendered components use are refused by the renderer's own check, which knows
      // them.
      if (!jobs.add(t.name())) {
        error(p + ".name", "duplicate job name " + Excerpts.quoted(t.name()));
      }
      if (t.targets().isEmpty()) {
        error(p + ".targets", "expected at least one host:port target");
      }
      for (int j = 0; j < t.targets().size(); j++) {
        hostPort(p + ".targets[" + j + "]", t.targets().get(j));
      }
      if (!t.scheme().equals("http") && !t.scheme().equals("https")) {
        error(p + ".scheme", "expected http or https, got " + Excerpts.quoted(t.scheme()));
      }
      if (t.interval() != null && t.interval().compareTo(MIN_SCRAPE_INTERVAL) < 0) {
        error(p + ".interval", "expected 15s or more, got " + DurationText.format(t.interval()));
      }
      if (!t.federate().isEmpty() && t.cluster() == null) {
        error(
            p + ".cluster",
            "a federation job needs the other cluster's name, written to the cluster label");
      }
    }
  }

  private void alerting() {
    Alerting a = s.alerting();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < a.receivers().size(); i++) {
      Receiver r = a.receivers().get(i);
      String p = "alerting.receivers[" + i + "]";
      if (r.name().equals("null")) {
        error(
            p + ".name",
            "'null' is reserved for the receiver that drops Watchdog and InfoInhibitor");
      } else if (!names.add(r.name())) {
        error(p + ".name", "duplicate receiver name " + Excerpts.quoted(r.name()));
      }
      if (r.slack() != null) {
        inCluster(p + ".slack.apiUrl", r.slack().apiUrl(), "Alertmanager");
      }
      if (r.pagerduty() != null) {
        inCluster(p + ".pagerduty.routingKey", r.pagerduty().routingKey(), "Alertmanager");
      }
      if (r.email() != null) {
        hostPort(p + ".email.smarthost", r.email().smarthost());
      }
      if (r.email() != null && r.email().authPassword() != null) {
        inCluster(p + ".email.authPassword", r.email().authPassword(), "Alertmanager");
      }
      if (r.webhook() != null) {
        inCluster(p + ".webhook.url", r.webhook().url(), "Alertmanager");
      }
    }
    for (int i = 0; i < a.routes().size(); i++) {
      String recv = a.routes().get(i).receiver();
      if (!names.contains(recv)) {
        error("alerting.routes[" + i + "].receiver", unknownReceiver(recv, names));
      }
    }
    if (a.defaultReceiver() != null && !names.contains(a.defaultReceiver())) {
      error("alerting.defaultReceiver", unknownReceiver(a.defaultReceiver(), names));
    }
  }

  private static String unknownReceiver(String name, Set<String> names) {
    String hint =
        dev.vigil.spec.bind.Names.didYouMean(name, names)
            .map(n -> "; did you mean " + Excerpts.quoted(n) + "?")
            .orElse("");
    return "no receiver named "
        + Excerpts.quoted(name)
        + hint
        + (names.isEmpty()
            ? " (alerting.receivers is empty)"
            : " (receivers: " + listed(new java.util.TreeSet<>(names)) + ")");
  }

  /**
   * In-cluster consumers read secrets from Kubernetes Secrets they mount. An environment variable
   * or a file exists only on the machine that renders, and writing its value into the output would
   * put a secret in a rendered file.
   */
  private void inCluster(String path, SecretRef ref, String consumer) {
    String problem = dev.vigil.spec.model.InClusterSecrets.problem(ref, consumer);
    if (problem != null) {
      error(path, problem);
    }
  }

  /**
   * The power section names nodes: each must be one of {@code nodes}, and a sleepable node needs a
   * MAC address somewhere, or it could be put to sleep and never woken.
   */
  private void power() {
    var power = s.power();
    if (power == null || !power.enabled()) {
      return;
    }
    Map<String, Node> byName = new LinkedHashMap<>();
    s.nodes().forEach(n -> byName.put(n.name(), n));
    if (power.controller() != null && !byName.containsKey(power.controller())) {
      error("power.controller", unknownNode(power.controller(), byName.keySet()));
    }
    if (power.nodes() == null) {
      return;
    }
    power
        .nodes()
        .forEach(
            (name, n) -> {
              Node node = byName.get(name);
              if (node == null) {
                error("power.nodes." + name, unknownNode(name, byName.keySet()));
              } else if (n != null && n.sleepable() && n.mac() == null && node.mac() == null) {
                error(
                    "power.nodes." + name,
                    "a sleepable node needs a MAC address to be woken: set power.nodes."
                        + Excerpts.of(name)
                        + ".mac or the node's mac");
              }
            });
  }

  private static String unknownNode(String name, Set<String> names) {
    String hint =
        dev.vigil.spec.bind.Names.didYouMean(name, names)
            .map(n -> "; did you mean " + Excerpts.quoted(n) + "?")
            .orElse("");
    return "no node named "
        + Excerpts.quoted(name)
        + hint
        + (names.isEmpty() ? " (nodes is empty)" : " (nodes: " + listed(names) + ")");
  }

  /**
   * The first names, each clipped, then how many more: a message stays short however many there
   * are.
   */
  private static String listed(Collection<String> names) {
    List<String> shown = new ArrayList<>();
    for (String n : names) {
      if (shown.size() == MAX_LISTED_NAMES) {
        shown.add("and " + (names.size() - MAX_LISTED_NAMES) + " more");
        break;
      }
      shown.add(Excerpts.of(n));
    }
    return String.join(", ", shown);
  }

  private void grafana() {
    GrafanaSpec g = s.components().grafana();
    String p = "components.grafana.auth";
    inCluster(p + ".adminPassword", g.auth().adminPassword(), "Grafana");
    if (g.auth().oidc() != null) {
      inCluster(p + ".oidc.clientSecret", g.auth().oidc().clientSecret(), "Grafana");
    }
    if (g.auth().ldap() != null) {
      inCluster(p + ".ldap.bindPassword", g.auth().ldap().bindPassword(), "Grafana");
      inCluster(p + ".ldap.caCert", g.auth().ldap().caCert(), "Grafana");
      var ipa = s.identity() == null ? null : s.identity().freeipa();
      for (String[] problem : g.auth().ldap().withDefaults(ipa, s.cluster()).stationProblems()) {
        error(p + ".ldap." + problem[0], problem[1]);
      }
    }
  }

  private void profile() {
    if (s.profile() != Profile.PRODUCTION) {
      return;
    }
    GrafanaSpec g = s.components().grafana();
    if (g.enabled()) {
      AnonymousRole anon = g.auth().anonymous();
      if (anon != null && anon != AnonymousRole.NONE) {
        error(
            "components.grafana.auth.anonymous",
            "the production profile allows no anonymous access, got " + anon.name().toLowerCase());
      }
      if (g.auth().oidc() == null && g.auth().ldap() == null) {
        error("components.grafana.auth", "the production profile needs a login: set oidc or ldap");
      }
    }
    if (s.exposure().ingress().domain() == null) {
      error(
          "exposure.ingress.domain",
          "the production profile serves UIs through an Ingress with TLS: set the DNS domain");
    }
    ingressAuth();
  }

  /** The rendered syslog gateway's Service: a pinned node must be one of the station's. */
  private void syslogService() {
    if (s.syslog() == null || s.syslog().service() == null) {
      return;
    }
    var svc = s.syslog().service();
    if (svc.node() != null
        && (s.nodes() == null || s.nodes().stream().noneMatch(n -> n.name().equals(svc.node())))) {
      error(
          "syslog.service.node",
          Excerpts.quoted(svc.node()) + " is not one of the station's nodes");
    }
    if (svc.loadBalancerIP() != null
        && svc.type() != dev.vigil.spec.syslog.SyslogSpec.ServiceType.LOAD_BALANCER) {
      error(
          "syslog.service.loadBalancerIP",
          "only a load-balancer Service takes an address; set type: load-balancer");
    }
  }

  /**
   * Prometheus, Alertmanager and Loki have no login of their own: in production, each one exposed
   * through the Ingress needs the ingress controller to authenticate people first.
   */
  private void ingressAuth() {
    var ingress = s.exposure().ingress();
    var auth = ingress.auth();
    List<String> open = new ArrayList<>();
    var c = s.components();
    if (c.prometheus().enabled() && exposed(c.prometheus().access())) {
      open.add("prometheus");
    }
    if (c.alertmanager().enabled() && exposed(c.alertmanager().access())) {
      open.add("alertmanager");
    }
    if (c.loki().enabled() && exposed(c.loki().access())) {
      open.add("loki");
    }
    boolean basic = auth != null && auth.basicAuthSecret() != null;
    boolean sso = auth != null && auth.oauth2ProxyUrl() != null;
    if (!open.isEmpty() && !basic && !sso) {
      error(
          "exposure.ingress.auth",
          "the production profile exposes "
              + String.join(", ", open)
              + " through the Ingress, and their APIs have no login: set basicAuthSecret or oauth2ProxyUrl,"
              + " or set access.expose: false on each of them");
    }
    if (basic && sso) {
      error(
          "exposure.ingress.auth", "expected one of basicAuthSecret and oauth2ProxyUrl, not both");
    }
    if (basic && !DNS_SUBDOMAIN.matcher(auth.basicAuthSecret()).matches()) {
      error(
          "exposure.ingress.auth.basicAuthSecret",
          "expected a Secret name, got " + Excerpts.quoted(auth.basicAuthSecret()));
    }
    if (sso && !auth.oauth2ProxyUrl().matches("https://[^\\s/]+(/\\S*)?")) {
      error(
          "exposure.ingress.auth.oauth2ProxyUrl",
          "expected an https:// URL, got " + Excerpts.quoted(auth.oauth2ProxyUrl()));
    }
    if ((basic || sso) && !"nginx".equals(ingress.className())) {
      error(
          "exposure.ingress.auth",
          "authentication is set through ingress-nginx annotations, but className is "
              + Excerpts.quoted(ingress.className())
              + "; use the nginx class or authenticate in front of the Ingress and set access.expose: false");
    }
  }

  private static boolean exposed(Access access) {
    return access == null || access.expose();
  }

  private void resources() {
    var c = s.components();
    check("components.prometheus.resources", c.prometheus().resources());
    check("components.alertmanager.resources", c.alertmanager().resources());
    check("components.grafana.resources", c.grafana().resources());
    check("components.loki.resources", c.loki().resources());
    check("components.alloy.resources", c.alloy().resources());
    check("components.nodeExporter.resources", c.nodeExporter().resources());
    check("components.kubeStateMetrics.resources", c.kubeStateMetrics().resources());
    check("components.ipmiExporter.resources", c.ipmiExporter().resources());
    replicas("components.prometheus.replicas", c.prometheus().replicas());
    replicas("components.alertmanager.replicas", c.alertmanager().replicas());
  }

  private void replicas(String path, Integer replicas) {
    if (replicas != null && (replicas < 1 || replicas > 10)) {
      error(path, "expected 1 to 10 replicas, got " + replicas);
    }
  }

  private void check(String path, Resources r) {
    Resources.Amounts req = r.requests();
    Resources.Amounts lim = r.limits();
    if (req.cpu() != null && lim.cpu() != null && req.cpu().compareTo(lim.cpu()) > 0) {
      error(path + ".requests.cpu", "request " + req.cpu() + " is above the limit " + lim.cpu());
    }
    if (req.memory() != null && lim.memory() != null && req.memory().compareTo(lim.memory()) > 0) {
      error(
          path + ".requests.memory",
          "request " + req.memory() + " is above the limit " + lim.memory());
    }
  }
}
