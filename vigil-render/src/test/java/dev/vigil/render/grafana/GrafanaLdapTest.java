package dev.vigil.render.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrafanaLdapTest {
  private static final String LDAP =
      GrafanaLdapSlapdIT.ldapSpec(636).replace("host: localhost", "host: ipa.vmstation.local");

  private static GrafanaRenderer.LdapToml toml(String overlay) {
    var grafana =
        new StackRenderer()
            .render(TestStations.with(overlay))
            .components()
            .get("grafana")
            .objects();
    ConfigMap cm =
        (ConfigMap)
            grafana.stream()
                .filter(
                    o -> o instanceof ConfigMap && o.getMetadata().getName().equals("grafana-ldap"))
                .findFirst()
                .orElseThrow();
    return new GrafanaRenderer.LdapToml(
        cm.getData().get(GrafanaRenderer.LDAP_HEAD), cm.getData().get(GrafanaRenderer.LDAP_TAIL));
  }

  @Test
  void freeIpaTreeAttributesAndMappingsAreRendered() {
    String file = toml(LDAP).with("x");
    assertThat(file)
        .contains(
            "host = \"ipa.vmstation.local\"\nport = 636\nuse_ssl = true\nstart_tls = false\nssl_skip_verify = false\n"
                + "root_ca_cert = \"/etc/grafana/ldap-ca/ca.crt\"\n"
                + "bind_dn = \"uid=grafana,cn=sysaccounts,cn=etc,dc=vmstation,dc=local\"\nbind_password = \"x\"\n"
                + "search_filter = \"(uid=%s)\"\n"
                + "search_base_dns = [\"cn=users,cn=accounts,dc=vmstation,dc=local\"]\n",
            "[servers.attributes]\nusername = \"uid\"\nname = \"givenName\"\nsurname = \"sn\"\nemail = \"mail\"\nmember_of = \"memberOf\"\n",
            "[[servers.group_mappings]]\ngroup_dn = \"cn=admins,cn=groups,cn=accounts,dc=vmstation,dc=local\"\norg_role = \"Admin\"\ngrafana_admin = true\n",
            "[[servers.group_mappings]]\ngroup_dn = \"cn=editors,cn=groups,cn=accounts,dc=vmstation,dc=local\"\norg_role = \"Editor\"\ngrafana_admin = false\n");
    assertThat(file.indexOf("cn=admins")).isLessThan(file.indexOf("cn=editors"));
    assertThat(file).doesNotContain("$").doesNotContain("search_base_dns = []");
  }

  @Test
  void theBindPasswordIsNeitherInTheConfigMapNorInTheEnvironment() {
    var grafana =
        new StackRenderer().render(TestStations.with(LDAP)).components().get("grafana").objects();
    StatefulSet sts =
        (StatefulSet)
            grafana.stream().filter(o -> o instanceof StatefulSet).findFirst().orElseThrow();
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getEnv()).noneMatch(e -> e.getName().contains("LDAP"));
    var init =
        pod.getInitContainers().stream()
            .filter(c -> c.getName().equals("ldap-config"))
            .findFirst()
            .orElseThrow();
    assertThat(init.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactly(
            "/etc/grafana/ldap-template", "/etc/grafana/ldap-bind", "/etc/grafana/ldap");
    var composed =
        pod.getVolumes().stream().filter(v -> v.getName().equals("ldap")).findFirst().orElseThrow();
    assertThat(composed.getEmptyDir().getMedium()).isEqualTo("Memory");
    var bind =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals("ldap-bind"))
            .findFirst()
            .orElseThrow();
    assertThat(bind.getSecret().getSecretName()).isEqualTo("grafana-ldap");
    assertThat(bind.getSecret().getItems())
        .extracting(i -> i.getKey())
        .containsExactly("bind-password");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/etc/grafana/ldap", "/etc/grafana/ldap-ca")
        .doesNotContain("/etc/grafana/ldap-bind");
  }

  @Test
  void explicitSearchBasesAndDnGroupsAreKeptAndStringsEscaped() {
    String file =
        toml("components:\n  grafana:\n    auth:\n      ldap:\n        host: ldap.example.org\n"
                + "        bindDn: 'cn=svc\\, \"q\",dc=example,dc=org'\n"
                + "        bindPassword: {secret: {name: l, key: p}}\n"
                + "        searchBaseDns: ['ou=people,dc=example,dc=org', 'ou=staff,dc=example,dc=org']\n"
                + "        groupMappings: [{group: 'cn=ops,ou=groups,dc=example,dc=org', role: viewer}, {group: '*', role: viewer}]\n")
            .with("x");
    assertThat(file)
        .contains(
            "search_base_dns = [\"ou=people,dc=example,dc=org\", \"ou=staff,dc=example,dc=org\"]",
            "bind_dn = \"cn=svc\\\\, \\\"q\\\",dc=example,dc=org\"",
            "group_dn = \"cn=ops,ou=groups,dc=example,dc=org\"",
            "group_dn = \"*\"");
    assertThat(file).doesNotContain("root_ca_cert");
    assertThat(GrafanaRenderer.toml("a$b\u0001")).isEqualTo("\"a\\u0024b\\u0001\"");
  }

  @Test
  void specMistakesAreLocated() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\ncomponents:\n  grafana:\n    auth:\n      ldap:\n"
            + "        host: h\n        useSsl: false\n        bindDn: 'uid=%s,dc=x'\n"
            + "        bindPassword: {secret: {name: l, key: p}}\n        searchFilter: '(uid=alice)'\n"
            + "        groupMappings: [{group: admins, role: admin}]\n";
    var problems =
        SpecLoader.load(List.of(new Source("vigil.yaml", text))).problems().stream()
            .map(Object::toString)
            .toList();
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("vigil.yaml:9:")
                    .contains("ldap.useSsl")
                    .contains("in clear"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("vigil.yaml:10:")
                    .contains("ldap.bindDn")
                    .contains("never binds anonymously"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("vigil.yaml:12:")
                    .contains("ldap.searchFilter")
                    .contains("%s"));
    // What only the whole station shows, once each record is right on its own.
    String noBase =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\ncomponents:\n  grafana:\n    auth:\n      ldap:\n"
            + "        host: h\n        bindDn: 'uid=grafana,dc=x'\n"
            + "        bindPassword: {secret: {name: l, key: p}}\n"
            + "        groupMappings: [{group: admins, role: admin}]\n";
    assertThat(SpecLoader.load(List.of(new Source("vigil.yaml", noBase))).problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("ldap.searchBaseDns")
                    .contains("refuses an LDAP server without them"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("vigil.yaml:11:")
                    .contains("groupMappings[0].group")
                    .contains("set baseDn"));
  }
}
