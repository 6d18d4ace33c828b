package dev.vigil.render.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.identity.Slapd;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Grafana's rendered LDAP login against a real directory: Debian's slapd, laid out like FreeIPA's
 * (see {@link Slapd}), over LDAPS with a CA of its own. The rendered init container composes
 * ldap.toml with the real shells (dash, and busybox's ash as in the Alpine-based Grafana image);
 * the file is read by a real TOML parser (Python's tomllib); and the bind, search filter, attribute
 * names and group mappings in it are used the way Grafana uses them ({@link GrafanaLdapLogin}). A
 * wrong filter, base DN, attribute name or mapping fails here.
 */
class GrafanaLdapSlapdIT {
  /** The search account's password, with everything that broke the old double-quoted template. */
  static final String BIND_PASSWORD = "s3\"cr\\et$'{x}${HOME}$__env{PATH}ü";

  /** Grafana's expansion pattern (pkg/setting/expanders.go): what it would replace in the file. */
  private static final Pattern EXPANDED = Pattern.compile("\\$(|__\\w+)\\{([^}]+)}");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Slapd slapd;
  private static RenderedStack stack;

  @BeforeAll
  static void startDirectory() throws Exception {
    slapd =
        Slapd.start(dir.resolve("slapd"), Slapd.TestCa.create(dir.resolve("ca"), 20))
            .withFreeIpaTree();
    String alice = slapd.addUser("alice", "Alice", "Admin", "alice-pw");
    String bob = slapd.addUser("bob", "Bob", "Editor", "bob-pw");
    slapd.addUser("carol", "Carol", "Nogroup", "carol-pw");
    String dave = slapd.addUser("dave", "Dave", "Both", "dave-pw");
    slapd.addGroup("admins", alice, dave);
    slapd.addGroup("editors", bob, dave);
    slapd.addSystemAccount("grafana", BIND_PASSWORD);
    stack = new StackRenderer().render(TestStations.with(ldapSpec(slapd.ldapsPort)));
  }

  @AfterAll
  static void stop() {
    if (slapd != null) {
      slapd.close();
    }
  }

  static String ldapSpec(int port) {
    return "components:\n  grafana:\n    auth:\n      ldap:\n"
        + "        host: localhost\n"
        + "        port: "
        + port
        + "\n"
        + "        caCert: {secret: {name: freeipa-ca, key: ca.crt}}\n"
        + "        bindDn: uid=grafana,cn=sysaccounts,cn=etc,dc=vmstation,dc=local\n"
        + "        bindPassword: {secret: {name: grafana-ldap, key: bind-password}}\n"
        + "        baseDn: dc=vmstation,dc=local\n"
        + "        groupMappings:\n"
        + "          - {group: admins, role: admin, grafanaAdmin: true}\n"
        + "          - {group: editors, role: editor}\n";
  }

  @Test
  void membersOfAdminsLogInAsAdminsWithTheirNameAndMail() throws Exception {
    GrafanaLdapLogin.User u =
        login("dash", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8)).login("alice", "alice-pw");
    assertThat(u.dn()).isEqualTo("uid=alice," + Slapd.USERS);
    assertThat(u.login()).isEqualTo("alice");
    assertThat(u.email()).isEqualTo("alice@vmstation.local");
    assertThat(u.name()).isEqualTo("Alice Admin");
    assertThat(u.groups()).containsExactly("cn=admins," + Slapd.GROUPS);
    assertThat(u.orgRole()).isEqualTo("Admin");
    assertThat(u.grafanaAdmin()).isTrue();
  }

  @Test
  void editorsAreEditorsAndTheFirstMatchingMappingWins() throws Exception {
    GrafanaLdapLogin login = login("dash", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8));
    GrafanaLdapLogin.User bob = login.login("bob", "bob-pw");
    assertThat(bob.orgRole()).isEqualTo("Editor");
    assertThat(bob.grafanaAdmin()).isFalse();
    GrafanaLdapLogin.User dave = login.login("dave", "dave-pw");
    assertThat(dave.groups()).hasSize(2);
    assertThat(dave.orgRole()).isEqualTo("Admin");
  }

  @Test
  void usersInNoMappedGroupWrongPasswordsAndUnknownOrWildcardLoginsAreRefused() throws Exception {
    GrafanaLdapLogin login = login("dash", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> login.login("carol", "carol-pw"))
        .isInstanceOf(GrafanaLdapLogin.Refused.class)
        .hasMessageContaining("any of the specified LDAP groups");
    assertThatThrownBy(() -> login.login("alice", "wrong"))
        .isInstanceOf(GrafanaLdapLogin.Refused.class)
        .hasMessageContaining("invalid username or password");
    assertThatThrownBy(() -> login.login("mallory", "x"))
        .isInstanceOf(GrafanaLdapLogin.Refused.class)
        .hasMessageContaining("can't find user");
    // The login is escaped into the filter: "*" is a literal, not "any uid".
    assertThatThrownBy(() -> login.login("*", "alice-pw"))
        .isInstanceOf(GrafanaLdapLogin.Refused.class)
        .hasMessageContaining("can't find user");
  }

  /**
   * The directory refuses anonymous binds, as FreeIPA does: the rendered bind is what lets Grafana
   * search.
   */
  @Test
  void withoutTheRenderedBindTheDirectoryRefusesTheSearch() throws Exception {
    JsonNode server = composedServer("dash", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8));
    ((com.fasterxml.jackson.databind.node.ObjectNode) server).put("bind_password", "");
    GrafanaLdapLogin anonymous = new GrafanaLdapLogin(server, this::hostPath);
    assertThatThrownBy(() -> anonymous.login("alice", "alice-pw"))
        .isInstanceOfAny(GrafanaLdapLogin.Refused.class, javax.naming.NamingException.class);
  }

  /** The Alpine-based image's shell is busybox ash; the result must be the same. */
  @Test
  void busyboxComposesTheSameFile() throws Exception {
    Path dash = compose("dash", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8), "dash-out");
    Path busybox =
        compose("busybox", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8), "busybox-out");
    assertThat(Files.readString(busybox)).isEqualTo(Files.readString(dash));
    assertThat(
            login("busybox", BIND_PASSWORD.getBytes(StandardCharsets.UTF_8))
                .login("bob", "bob-pw")
                .orgRole())
        .isEqualTo("Editor");
  }

  /**
   * A Secret made with `echo pw | kubectl create secret --from-file` ends in a newline: dropped, as
   * run.sh drops it.
   */
  @Test
  void aTrailingNewlineOfTheSecretIsDropped() throws Exception {
    byte[] withNewline = (BIND_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(login("dash", withNewline).login("alice", "alice-pw").orgRole()).isEqualTo("Admin");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "quote\"inside",
        "back\\slash\\",
        "dollar$",
        "${HOME}",
        "$__env{PATH}",
        "$__file{/etc/passwd}",
        "'''",
        "\\\"",
        "tab-less ~!@#%^&*()_+{}|:<>?[];',./`",
        "日本語"
      })
  void everyPasswordReachesGrafanaUnchanged(String password) throws Exception {
    for (String shell : List.of("dash", "busybox")) {
      JsonNode server = composedServer(shell, password.getBytes(StandardCharsets.UTF_8));
      assertThat(server.path("bind_password").asText()).as(shell).isEqualTo(password);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "line\nbreak", "tab\there", "bell\u0007"})
  void emptyPasswordsAndControlCharactersStopThePodWithAMessage(String password) throws Exception {
    for (String shell : List.of("dash", "busybox")) {
      Tools.Run run =
          runScript(
              shell,
              password.getBytes(StandardCharsets.UTF_8),
              shell + "-refused-" + Math.abs(password.hashCode()));
      assertThat(run.exitCode()).as(shell + ": " + run.output()).isNotZero();
      assertThat(run.output())
          .contains("ldap: the bind password in")
          .containsAnyOf("is empty", "control character");
    }
  }

  private GrafanaLdapLogin login(String shell, byte[] secret) throws Exception {
    return new GrafanaLdapLogin(composedServer(shell, secret), this::hostPath);
  }

  /** A path inside the Grafana pod, as mounted here: the CA Secret is the test's CA file. */
  private String hostPath(String podPath) {
    assertThat(podPath).isEqualTo(GrafanaRenderer.LDAP_CA_DIR + "/ca.crt");
    return slapd.ca.caCert().toString();
  }

  private JsonNode composedServer(String shell, byte[] secret) throws Exception {
    Path file =
        compose(
            shell, secret, shell + "-" + Integer.toHexString(java.util.Arrays.hashCode(secret)));
    String text = Files.readString(file);
    assertThat(EXPANDED.matcher(text).find())
        .as("Grafana would expand part of:\n" + text)
        .isFalse();
    JsonNode parsed = toml(file);
    assertThat(parsed.path("servers")).hasSize(1);
    return parsed.path("servers").get(0);
  }

  /**
   * Runs the rendered init container's script with a real shell; returns the ldap.toml it wrote.
   */
  private Path compose(String shell, byte[] secret, String name) throws IOException {
    Tools.Run run = runScript(shell, secret, name);
    assertThat(run.ok()).as(shell + ": " + run.output()).isTrue();
    Path out = dir.resolve(name).resolve("out").resolve("ldap.toml");
    assertThat(out).exists();
    return out;
  }

  private Tools.Run runScript(String shell, byte[] secret, String name) throws IOException {
    Path work = Files.createDirectories(dir.resolve(name));
    Path template = Files.createDirectories(work.resolve("template"));
    Path out = Files.createDirectories(work.resolve("out"));
    ConfigMap cm =
        (ConfigMap)
            stack.components().get("grafana").objects().stream()
                .filter(
                    o -> o instanceof ConfigMap && o.getMetadata().getName().equals("grafana-ldap"))
                .findFirst()
                .orElseThrow();
    cm.getData().forEach((k, v) -> write(template.resolve(k), v));
    Path password = work.resolve("password");
    Files.write(password, secret);
    Container init = ldapInit();
    List<String> command = new ArrayList<>();
    command.add(
        shell.equals("busybox")
            ? Tools.require("busybox", "busybox").toString()
            : Tools.require("dash", "dash").toString());
    if (shell.equals("busybox")) {
      command.add("sh");
    }
    // The container runs ["/bin/sh", "-c", script, "ldap-config", template, password, out].
    assertThat(init.getCommand()).hasSize(7).startsWith("/bin/sh", "-c");
    command.add("-c");
    command.add(init.getCommand().get(2));
    command.add(init.getCommand().get(3));
    command.add(template.toString());
    command.add(password.toString());
    command.add(out.toString());
    return Tools.run(work, 30, command);
  }

  private static Container ldapInit() {
    StatefulSet sts =
        (StatefulSet)
            stack.components().get("grafana").objects().stream()
                .filter(o -> o instanceof StatefulSet)
                .findFirst()
                .orElseThrow();
    return sts.getSpec().getTemplate().getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals("ldap-config"))
        .findFirst()
        .orElseThrow();
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The file as a strict TOML 1.0 parser reads it (Python's tomllib), as JSON. */
  static JsonNode toml(Path file) throws IOException {
    Path python = Tools.require("python3", "python3");
    Tools.Run r =
        Tools.run(
            null,
            30,
            python.toString(),
            "-c",
            "import json,sys,tomllib; print(json.dumps(tomllib.load(open(sys.argv[1],'rb'))))",
            file.toString());
    assertThat(r.ok())
        .as("tomllib on " + file + ":\n" + r.output() + "\n" + Files.readString(file))
        .isTrue();
    return JSON.readTree(r.output());
  }
}
