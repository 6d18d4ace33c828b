package dev.vigil.render.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class FreeIpaRendererTest {
  /** The seed's identity service: realm VMSTATION.LOCAL, web UI on 30443, the LAN trusted. */
  public static final String FREEIPA =
      "identity:\n  freeipa:\n    realm: VMSTATION.LOCAL\n"
          + "    adminPassword: {secret: {name: freeipa, key: admin-password}}\n"
          + "    ca: {secret: {name: freeipa-ca, key: ca.crt}}\n"
          + "    trustedNetworks: [192.168.4.0/24]\n";

  static final String GRAFANA_LDAP =
      "components:\n  grafana:\n    auth:\n      ldap:\n"
          + "        bindDn: uid=grafana,cn=sysaccounts,cn=etc,dc=vmstation,dc=local\n"
          + "        bindPassword: {secret: {name: grafana-ldap, key: bind-password}}\n"
          + "        groupMappings: [{group: admins, role: admin, grafanaAdmin: true}]\n";

  private static RenderedStack render(String... overlays) {
    return new StackRenderer().render(TestStations.with(overlays));
  }

  private static <T extends HasMetadata> T one(RenderedStack stack, Class<T> kind, String name) {
    return stack.components().get(FreeIpaRenderer.NAME).objects().stream()
        .filter(o -> kind.isInstance(o) && o.getMetadata().getName().equals(name))
        .map(kind::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aStatefulSetInAUserNamespaceWithItsFqdnAndOnlyTheRuntimeDefaultCapabilities() {
    RenderedStack stack = render(FREEIPA);
    StatefulSet sts = one(stack, StatefulSet.class, "freeipa");
    assertThat(sts.getMetadata().getNamespace()).isEqualTo("infrastructure");
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostUsers()).isFalse();
    assertThat(pod.getSetHostnameAsFQDN()).isTrue();
    assertThat(sts.getSpec().getServiceName()).isEqualTo("freeipa");
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("quay.io/freeipa/freeipa-server:rocky-9-4.13.1");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .doesNotContain("NET_RAW", "SYS_ADMIN")
        .contains("SETUID", "SETGID", "CHOWN", "NET_BIND_SERVICE");
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("PASSWORD");
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("freeipa");
            });
    assertThat(c.getEnv())
        .anySatisfy(
            e ->
                assertThat(e.getValue())
                    .isEqualTo(
                        "-U --realm=VMSTATION.LOCAL --domain=vmstation.local --no-ntp --setup-dns --no-reverse --no-forwarders"));
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactly("/data", "/run", "/tmp", "/dev/shm");
    assertThat(
            sts.getSpec()
                .getVolumeClaimTemplates()
                .get(0)
                .getSpec()
                .getResources()
                .getRequests()
                .get("storage")
                .toString())
        .isEqualTo("10Gi");
    assertThat(c.getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("/usr/bin/systemctl", "poweroff");
    assertThat(pod.getDnsPolicy()).isEqualTo("None");
    assertThat(pod.getDnsConfig().getNameservers()).containsExactly("127.0.0.1");
    assertThat(sts.getMetadata().getAnnotations().get("vigil.dev/ignore"))
        .isEqualTo("pss-capabilities-restricted,pss-privilege-escalation");
    assertThat(sts.getMetadata().getAnnotations().get("vigil.dev/ignore-reason"))
        .contains("hostUsers: false");
  }

  @Test
  void theWebUiIsOnNodePort30443AndOnlyTheTrustedNetworksGetIn() {
    RenderedStack stack = render(FREEIPA, GRAFANA_LDAP);
    Service external = one(stack, Service.class, "freeipa-external");
    assertThat(external.getSpec().getType()).isEqualTo("NodePort");
    assertThat(external.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    Map<String, Integer> nodePorts = new java.util.TreeMap<>();
    external.getSpec().getPorts().forEach(p -> nodePorts.put(p.getName(), p.getNodePort()));
    assertThat(nodePorts)
        .containsEntry("https", 30443)
        .containsEntry("ldaps", 30636)
        .containsEntry("kerberos-tcp", 30088)
        .containsEntry("kerberos-udp", 30088)
        .doesNotContainKeys("dns-udp", "ldap");
    NetworkPolicy np = one(stack, NetworkPolicy.class, "freeipa");
    String policy = Yaml.write(np);
    assertThat(policy).contains("cidr: 192.168.4.0/24");
    // Grafana's LDAP login and the blackbox exporter's probes come from the stack namespace.
    assertThat(np.getSpec().getIngress())
        .anySatisfy(
            r ->
                assertThat(Yaml.write(r))
                    .contains("app.kubernetes.io/name: grafana")
                    .contains("port: 636"));
    assertThat(np.getSpec().getIngress())
        .anySatisfy(
            r ->
                assertThat(Yaml.write(r))
                    .contains("app.kubernetes.io/name: blackbox-exporter")
                    .contains("port: 88"));
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
  }

  @Test
  void productionUsesALoadBalancerWhoseAddressFreeIpasDnsAnnounces() {
    RenderedStack stack =
        render(
            TestStations.PRODUCTION,
            FREEIPA
                + "    service: {loadBalancerIP: 10.0.0.53}\n"
                + "    dnsForwarders: [10.0.0.1]\n");
    Service external = one(stack, Service.class, "freeipa-external");
    assertThat(external.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(external.getSpec().getLoadBalancerIP()).isEqualTo("10.0.0.53");
    assertThat(external.getSpec().getPorts())
        .extracting(p -> p.getName())
        .contains("dns-udp", "ldap");
    var c =
        one(stack, StatefulSet.class, "freeipa")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getEnv())
        .anySatisfy(
            e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("IPA_SERVER_IP=10.0.0.53"));
    assertThat(c.getEnv())
        .anySatisfy(
            e ->
                assertThat(e.getValue())
                    .contains("--forwarder=10.0.0.1")
                    .doesNotContain("--no-forwarders"));
    assertThat(external.getMetadata().getAnnotations())
        .containsEntry("vigil.dev/ignore", "service-exposed");
  }

  @Test
  void theBlackboxExporterProbesEveryFreeIpaServiceWithItsCa() {
    RenderedStack stack = render(FREEIPA);
    assertThat(stack.components()).containsKey("blackbox-exporter");
    String jobs = Yaml.write(stack.contributions().scrapeJobs().get("blackbox-exporter"));
    String host = "freeipa-0.freeipa.infrastructure.svc.cluster.local";
    assertThat(jobs)
        .contains(
            host + ":88",
            host + ":389",
            host + ":636",
            "https://" + host + "/ipa/ui/",
            "__param_module: ldaps-freeipa-ldaps",
            "__param_module: https-freeipa-web",
            "__param_module: tcp",
            "__param_module: ldap",
            "service: freeipa");
    assertThat(stack.contributions().allRuleFiles())
        .containsKeys("freeipa.rules.yaml", "blackbox.rules.yaml");
  }

  @Test
  void grafanaLogsInAgainstTheStationsFreeIpaWithItsCaAndTree() {
    RenderedStack stack = render(FREEIPA, GRAFANA_LDAP);
    var cm =
        (io.fabric8.kubernetes.api.model.ConfigMap)
            stack.components().get("grafana").objects().stream()
                .filter(o -> o.getMetadata().getName().equals("grafana-ldap"))
                .findFirst()
                .orElseThrow();
    assertThat(cm.getData().get("head.toml"))
        .contains(
            "host = \"freeipa-0.freeipa.infrastructure.svc.cluster.local\"",
            "root_ca_cert = \"/etc/grafana/ldap-ca/ca.crt\"");
    assertThat(cm.getData().get("tail.toml"))
        .contains(
            "search_base_dns = [\"cn=users,cn=accounts,dc=vmstation,dc=local\"]",
            "group_dn = \"cn=admins,cn=groups,cn=accounts,dc=vmstation,dc=local\"");
  }

  @Test
  void anExistingServerRendersNothingButItsProbesAlertsAndLogin() {
    RenderedStack stack =
        render(
            "identity:\n  freeipa:\n    deploy: false\n    realm: EXAMPLE.ORG\n    host: ipa.example.org\n"
                + "    ca: {secret: {name: ipa-ca, key: ca.crt}}\n",
            GRAFANA_LDAP.replace("dc=vmstation,dc=local", "dc=example,dc=org"));
    assertThat(
            stack.components().containsKey(FreeIpaRenderer.NAME)
                ? stack.components().get(FreeIpaRenderer.NAME).objects()
                : List.of())
        .isEmpty();
    assertThat(Yaml.write(stack.contributions().scrapeJobs().get("blackbox-exporter")))
        .contains("ipa.example.org:636");
    assertThat(stack.contributions().allRuleFiles()).containsKey("freeipa.rules.yaml");
  }

  @Test
  void specMistakesAreLocated() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nidentity:\n  freeipa:\n"
            + "    realm: vmstation.local\n    trustedNetworks: [192.168.4.0/33, lan]\n    dnsForwarders: [1.1.1.1]\n    dns: false\n"
            + "    service: {webNodePort: 443}\n";
    var problems =
        SpecLoader.load(List.of(new Source("vigil.yaml", text))).problems().stream()
            .map(Object::toString)
            .toList();
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("vigil.yaml:6:")
                    .contains("identity.freeipa.realm")
                    .contains("VMSTATION.LOCAL"))
        .anySatisfy(
            p -> assertThat(p).contains("identity.freeipa.adminPassword").contains("secret"))
        .anySatisfy(p -> assertThat(p).contains("trustedNetworks[0]").contains("at most 32"))
        .anySatisfy(p -> assertThat(p).contains("trustedNetworks[1]").contains("CIDR"))
        .anySatisfy(
            p -> assertThat(p).contains("identity.freeipa.dnsForwarders").contains("dns: false"))
        .anySatisfy(p -> assertThat(p).contains("service.webNodePort").contains("30000-32767"));
    String existing =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nidentity:\n  freeipa:\n"
            + "    deploy: false\n    realm: X.ORG\n    adminPassword: {secret: {name: a, key: b}}\n";
    assertThat(SpecLoader.load(List.of(new Source("vigil.yaml", existing))).problems())
        .extracting(Object::toString)
        .anySatisfy(
            p -> assertThat(p).contains("identity.freeipa.host").contains("existing FreeIPA"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("identity.freeipa.adminPassword")
                    .contains("deployed FreeIPA only"));
    String noServer =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\n" + GRAFANA_LDAP;
    assertThat(SpecLoader.load(List.of(new Source("vigil.yaml", noServer))).problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.grafana.auth.ldap.host")
                    .contains("identity.freeipa"))
        .anySatisfy(p -> assertThat(p).contains("ldap.searchBaseDns"));
  }
}
