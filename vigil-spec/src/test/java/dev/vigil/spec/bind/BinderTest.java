package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.spec.bind.Sample.Profile;
import dev.vigil.spec.bind.Sample.Role;
import dev.vigil.spec.bind.Sample.Station;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinderTest {
  static Bound<Station> bind(String yaml) {
    return Binder.bind(Station.class, "vigil.yaml", yaml);
  }

  static List<String> problems(String yaml) {
    return bind(yaml).problems().stream().map(Problem::toString).toList();
  }

  static Station ok(String yaml) {
    Bound<Station> b = bind(yaml);
    assertThat(b.problems()).isEmpty();
    assertThat(b.ok()).isTrue();
    return b.value();
  }

  @Test
  void bindsEveryKindOfField() {
    Station s =
        ok(
            """
            apiVersion: vigil.dev/v1
            profile: production
            nodes:
              - name: masternode
                address: 192.168.4.63
                role: control-plane
                mac: aa:bb:cc:dd:ee:ff
                ipmi: true
                labels: {zone: a}
              - name: homelab
                address: 192.168.4.62
            components:
              prometheus:
                enabled: false
                replicas: 0x10
                scrapeInterval: 1h30m
                image: 1.10
                retention:
                  time: 2w
                  size: 5Gi
                extraTargets:
                  - name: federate
                    targets: [other:9090]
              grafana:
                cpu: 1.5e0
                maxBytes: 5000000000
                adminPassword: {env: GRAFANA_PASSWORD}
            labels:
              zeta: "1"
              alpha: 2
              app.kubernetes.io/part-of: vigil
            receivers:
              ops:
                url: {file: /run/secrets/hook}
                sendResolved: false
            """);
    assertThat(s.profile()).isEqualTo(Profile.PRODUCTION);
    assertThat(s.nodes()).hasSize(2);
    assertThat(s.nodes().get(0).role()).isEqualTo(Role.CONTROL_PLANE);
    assertThat(s.nodes().get(0).mac().text()).isEqualTo("aa:bb:cc:dd:ee:ff");
    assertThat(s.nodes().get(0).ipmi()).isTrue();
    assertThat(s.nodes().get(0).labels()).containsExactly(Map.entry("zone", "a"));
    assertThat(s.nodes().get(1).role()).isEqualTo(Role.WORKER);
    assertThat(s.nodes().get(1).mac()).isNull();
    assertThat(s.nodes().get(1).ipmi()).isFalse();
    assertThat(s.nodes().get(1).labels()).isEmpty();
    var p = s.components().prometheus();
    assertThat(p.enabled()).isFalse();
    assertThat(p.replicas()).isEqualTo(16);
    assertThat(p.scrapeInterval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(p.image()).isEqualTo("1.10");
    assertThat(p.retention().time()).isEqualTo(Duration.ofDays(14));
    assertThat(p.retention().size().bytes()).isEqualTo(5L << 30);
    assertThat(p.retention().volume().text()).isEqualTo("20Gi");
    assertThat(p.extraTargets().get(0).targets()).containsExactly("other:9090");
    var g = s.components().grafana();
    assertThat(g.replicas()).isEqualTo(1);
    assertThat(g.cpu()).isEqualTo(1.5);
    assertThat(g.maxBytes()).isEqualTo(5_000_000_000L);
    assertThat(g.adminPassword().env()).isEqualTo("GRAFANA_PASSWORD");
    assertThat(s.labels().keySet()).containsExactly("zeta", "alpha", "app.kubernetes.io/part-of");
    assertThat(s.labels().get("alpha")).isEqualTo("2");
    assertThat(s.receivers().get("ops").url().file()).isEqualTo("/run/secrets/hook");
    assertThat(s.receivers().get("ops").sendResolved()).isFalse();
  }

  @Test
  void absentKeysTakeDefaultsSectionsAndEmptyCollections() {
    Station s = ok("apiVersion: v1\n");
    assertThat(s.profile()).isEqualTo(Profile.HOMELAB);
    assertThat(s.nodes()).isEmpty();
    assertThat(s.labels()).isEmpty();
    assertThat(s.receivers()).isEmpty();
    var p = s.components().prometheus();
    assertThat(p.enabled()).isTrue();
    assertThat(p.replicas()).isEqualTo(1);
    assertThat(p.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.image()).isNull();
    assertThat(p.retention().time()).isEqualTo(Duration.ofDays(15));
    assertThat(p.retention().size().text()).isEqualTo("10Gi");
    assertThat(s.components().grafana().cpu()).isEqualTo(0.5);
    assertThat(s.components().grafana().maxBytes()).isEqualTo(1_000_000_000_000L);
    // A section whose empty form does not validate (a secret reference) stays absent.
    assertThat(s.components().grafana().adminPassword()).isNull();
  }

  @Test
  void explicitNullIsAbsent() {
    Station s = ok("apiVersion: v1\nprofile: ~\ncomponents:\nnodes: null\n");
    assertThat(s.profile()).isEqualTo(Profile.HOMELAB);
    assertThat(s.components().prometheus().replicas()).isEqualTo(1);
    assertThat(s.nodes()).isEmpty();
    assertThat(problems("apiVersion: ~\n"))
        .containsExactly("vigil.yaml:1:1: missing required field 'apiVersion'");
  }

  @Test
  void collectionsAreUnmodifiable() {
    Station s = ok("apiVersion: v1\nlabels: {a: b}\nnodes: [{name: n, address: 1.2.3.4}]\n");
    assertThatThrownBy(() -> s.labels().put("c", "d"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.nodes().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void stringsTakeAnyScalarAsWritten() {
    Station s = ok("apiVersion: 1.0\nlabels: {a: true, b: 0x1F, c: 1e3, d: '~', e: \"null\"}\n");
    assertThat(s.apiVersion()).isEqualTo("1.0");
    assertThat(s.labels())
        .containsExactly(
            Map.entry("a", "true"),
            Map.entry("b", "0x1F"),
            Map.entry("c", "1e3"),
            Map.entry("d", "~"),
            Map.entry("e", "null"));
  }

  @Test
  void anchorsAliasesAndMergeKeysWork() {
    Station s =
        ok(
            """
            apiVersion: v1
            nodes:
              - &n {name: a, address: 10.0.0.1, labels: {zone: z}}
              - <<: *n
                name: b
            """);
    assertThat(s.nodes().get(1).name()).isEqualTo("b");
    assertThat(s.nodes().get(1).address().text()).isEqualTo("10.0.0.1");
    assertThat(s.nodes().get(1).labels()).containsEntry("zone", "z");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          replicas: abc        | 4:15: components.prometheus.replicas: expected an integer, got 'abc'
          replicas: "5"        | 4:15: components.prometheus.replicas: expected an integer, got a quoted string '5'
          replicas: 1.5        | 4:15: components.prometheus.replicas: expected an integer, got '1.5'
          replicas: [1]        | 4:15: components.prometheus.replicas: expected an integer, got a sequence
          replicas: 3000000000 | 4:15: components.prometheus.replicas: expected an integer between -2147483648 and 2147483647, got '3000000000'
          enabled: yes         | 4:14: components.prometheus.enabled: expected true or false, got 'yes'
          enabled: 'true'      | 4:14: components.prometheus.enabled: expected true or false, got a quoted string 'true'
          scrapeInterval: 30   | 4:21: components.prometheus.scrapeInterval: expected a duration such as 30s, 5m, 1h, got '30' (a unit is required)
          scrapeInterval: 5 min | 4:21: components.prometheus.scrapeInterval: expected a duration such as 30s, 5m, 1h, got '5 min'
          scrapeInterval: 5m1h | 4:21: components.prometheus.scrapeInterval: expected a duration such as 30s, 5m, 1h, got '5m1h'
          scrapeInterval: {}   | 4:21: components.prometheus.scrapeInterval: expected a duration such as 30s, 5m, 1h, got a mapping
          image: {a: 1}        | 4:12: components.prometheus.image: expected a string, got a mapping
          image: [a]           | 4:12: components.prometheus.image: expected a string, got a sequence
          extraTargets: foo    | 4:19: components.prometheus.extraTargets: expected a sequence, got 'foo'
          retention: [1]       | 4:16: components.prometheus.retention: expected a mapping, got a sequence
          retention: 10Gi      | 4:16: components.prometheus.retention: expected a mapping, got '10Gi'
          retentoin: {}        | 4:5: components.prometheus.retentoin: unknown field 'retentoin' (did you mean 'retention'?)
          Replicas: 2          | 4:5: components.prometheus.Replicas: unknown field 'Replicas' (did you mean 'replicas'?)
          storage: 2           | 4:5: components.prometheus.storage: unknown field 'storage'; expected one of: enabled, replicas, scrapeInterval, retention, extraTargets, image
          replicas: -1         | 3:3: components.prometheus: replicas must not be negative, got -1
          """)
  void prometheusFieldErrors(String line, String expected) {
    String yaml = "apiVersion: v1\ncomponents:\n  prometheus:\n    " + line + "\n";
    assertThat(problems(yaml)).containsExactly("vigil.yaml:" + expected);
  }

  @Test
  void numberErrors() {
    assertThat(
            problems(
                """
                apiVersion: v1
                components:
                  grafana:
                    cpu: abc
                    maxBytes: 99999999999999999999
                    replicas: .inf
                """))
        .containsExactly(
            "vigil.yaml:4:10: components.grafana.cpu: expected a number, got 'abc'",
            "vigil.yaml:5:15: components.grafana.maxBytes: expected an integer between"
                + " -9223372036854775808 and 9223372036854775807, got '99999999999999999999'",
            "vigil.yaml:6:15: components.grafana.replicas: expected an integer, got '.inf'");
  }

  @Test
  void enumErrorsListTheValuesAndSuggest() {
    assertThat(problems("apiVersion: v1\nprofile: prod\n"))
        .containsExactly(
            "vigil.yaml:2:10: profile: expected homelab or production, got 'prod'"
                + " (did you mean 'production'?)");
    assertThat(problems("apiVersion: v1\nprofile: staging\n"))
        .containsExactly("vigil.yaml:2:10: profile: expected homelab or production, got 'staging'");
    assertThat(problems("apiVersion: v1\nprofile: HOMELAB\n"))
        .containsExactly(
            "vigil.yaml:2:10: profile: expected homelab or production, got 'HOMELAB'"
                + " (did you mean 'homelab'?)");
    assertThat(
            problems("apiVersion: v1\nnodes: [{name: a, address: 1.1.1.1, role: control_plane}]\n"))
        .containsExactly(
            "vigil.yaml:2:43: nodes[0].role: expected control-plane or worker, got 'control_plane'"
                + " (did you mean 'control-plane'?)");
  }

  @Test
  void customScalarErrorsUseTheTypesOwnWording() {
    assertThat(
            problems(
                """
                apiVersion: v1
                nodes:
                  - name: a
                    address: 1.2.3.4
                    mac: {x: 1}
                  - name: b
                    address: 1.2.3
                    mac: zz
                """))
        .containsExactly(
            "vigil.yaml:5:10: nodes[0].mac: expected a MAC address such as aa:bb:cc:dd:ee:ff, got a"
                + " mapping",
            "vigil.yaml:7:14: nodes[1].address: expected an IP address such as 192.168.4.63, got"
                + " '1.2.3'",
            "vigil.yaml:8:10: nodes[1].mac: expected a MAC address such as aa:bb:cc:dd:ee:ff, got"
                + " 'zz'");
  }

  @Test
  void missingRequiredFieldsAreLocatedAtTheMappingThatLacksThem() {
    assertThat(problems("profile: homelab\n"))
        .containsExactly("vigil.yaml:1:1: missing required field 'apiVersion'");
    assertThat(
            problems(
                """
                apiVersion: v1
                nodes:
                  - name: a
                    address: 1.2.3.4
                  - role: worker
                receivers:
                  ops: {}
                """))
        .containsExactly(
            "vigil.yaml:5:5: nodes[1]: missing required field 'name'",
            "vigil.yaml:5:5: nodes[1]: missing required field 'address'",
            "vigil.yaml:7:3: receivers.ops: missing required field 'url'");
  }

  @Test
  void unknownFieldsFarFromAnyNameListTheAllowedOnes() {
    assertThat(problems("apiVersion: v1\nfoo: 1\n"))
        .containsExactly(
            "vigil.yaml:2:1: foo: unknown field 'foo'; expected one of: apiVersion, profile, nodes,"
                + " components, labels, receivers");
  }

  @Test
  void nullItemsAndValuesAreErrors() {
    assertThat(problems("apiVersion: v1\nnodes: [~]\nlabels:\n  x:\n"))
        .containsExactly(
            "vigil.yaml:2:9: nodes[0]: expected a mapping, got null",
            "vigil.yaml:4:5: labels.x: expected a string, got null");
  }

  @Test
  void mapKeysThatAreNotNamesAreQuotedInPaths() {
    assertThat(problems("apiVersion: v1\nlabels:\n  app.kubernetes.io/name: [x]\n"))
        .containsExactly(
            "vigil.yaml:3:27: labels[\"app.kubernetes.io/name\"]: expected a string, got a"
                + " sequence");
  }

  @Test
  void duplicateKeysAreErrorsAtTheSecondOccurrence() {
    assertThat(problems("apiVersion: v1\napiVersion: v2\nlabels:\n  a: 1\n  a: 2\n"))
        .containsExactly(
            "vigil.yaml:2:1: apiVersion: duplicate key 'apiVersion' (first at line 1)",
            "vigil.yaml:5:3: labels.a: duplicate key 'a' (first at line 4)");
  }

  @Test
  void structuralYamlErrors() {
    assertThat(problems("apiVersion: !foo v1\n"))
        .containsExactly("vigil.yaml:1:13: apiVersion: unsupported YAML tag '!foo'");
    assertThat(problems("apiVersion: v1\n? [a]\n: b\n"))
        .containsExactly("vigil.yaml:2:3: expected a plain key, got a sequence");
    assertThat(problems("apiVersion: v1\n---\napiVersion: v2\n"))
        .containsExactly("vigil.yaml:2:1: expected a single YAML document, found another one here");
  }

  @Test
  void explicitStandardTagsMustAgreeWithTheText() {
    assertThat(
            problems(
                """
                apiVersion: !!str 1
                components:
                  prometheus:
                    replicas: !!int "abc"
                    enabled: !!bool maybe
                  grafana:
                    cpu: !!float 2
                    replicas: !!int "3"
                    maxBytes: !!null x
                """))
        .containsExactly(
            "vigil.yaml:4:15: components.prometheus.replicas: 'abc' is not a valid !!int",
            "vigil.yaml:5:14: components.prometheus.enabled: 'maybe' is not a valid !!bool",
            "vigil.yaml:9:15: components.grafana.maxBytes: 'x' is not a valid !!null");
    Station s =
        ok("apiVersion: !!str 1\ncomponents: {grafana: {cpu: !!float 2, replicas: !!int '3'}}\n");
    assertThat(s.apiVersion()).isEqualTo("1");
    assertThat(s.components().grafana().cpu()).isEqualTo(2.0);
    assertThat(s.components().grafana().replicas()).isEqualTo(3);
  }

  @Test
  void structuralProblemsDoNotHideTheOthers() {
    assertThat(
            problems(
                """
                apiVersion: v1
                profile: !custom production
                labels: {a: b, a: c}
                ? [x]
                : y
                nodes:
                  - name: a
                    address: nope
                """))
        .containsExactly(
            "vigil.yaml:2:10: profile: unsupported YAML tag '!custom'",
            "vigil.yaml:3:16: labels.a: duplicate key 'a' (first at line 3)",
            "vigil.yaml:4:3: expected a plain key, got a sequence",
            "vigil.yaml:8:14: nodes[0].address: expected an IP address such as 192.168.4.63, got"
                + " 'nope'");
  }

  @Test
  void secretsWrittenInPlaceOfReferencesAreNeverEchoed() {
    List<String> all =
        problems(
            """
            apiVersion: v1
            components:
              grafana:
                adminPassword: hunter2secret
                token: s3cr3t-token
            receivers:
              ops: {url: {env: hunter2 pass}}
              dev: {url: [hunter2list]}
            """);
    assertThat(all)
        .containsExactly(
            "vigil.yaml:4:20: components.grafana.adminPassword: expected a mapping, got a scalar"
                + " (not shown, it may be a secret)",
            "vigil.yaml:5:12: components.grafana.token: expected a MAC address such as"
                + " aa:bb:cc:dd:ee:ff, got a scalar (not shown, it may be a secret)",
            "vigil.yaml:7:20: receivers.ops.url.env: expected an environment variable name, got"
                + " '***'",
            "vigil.yaml:8:14: receivers.dev.url: expected a mapping, got a sequence");
    assertThat(String.join("\n", all)).doesNotContain("hunter2").doesNotContain("s3cr3t");
    // Outside secrets, values are shown as usual.
    assertThat(problems("apiVersion: v1\ncomponents: {grafana: {replicas: hunter2}}\n"))
        .containsExactly(
            "vigil.yaml:2:34: components.grafana.replicas: expected an integer, got 'hunter2'");
  }

  record Smtp(@Doc("d") List<String> authPassword, @Doc("d") int apiTokenCount) {}

  @Test
  void fieldsNamedLikeSecretsAreNotEchoedEither() {
    Bound<Smtp> b =
        Binder.bind(Smtp.class, "s.yaml", "authPassword: hunter2\napiTokenCount: tok3n-value\n");
    assertThat(b.report())
        .isEqualTo(
            "s.yaml:1:15: authPassword: expected a sequence, got a scalar (not shown, it may be a"
                + " secret)\n"
                + "s.yaml:2:16: apiTokenCount: expected an integer, got a scalar (not shown, it may"
                + " be a secret)");
  }

  @Test
  void reportsCanShowTheSourceLineWithACaret() {
    Bound<Station> b =
        bind(
            """
            apiVersion: v1
            components:
              prometheus:
            \treplicas: x
            """);
    assertThat(b.reportWithExcerpts()).startsWith("vigil.yaml:4:1: invalid YAML: ");
    assertThat(b.reportWithExcerpts()).endsWith("\n 4 | \treplicas: x\n   | ^");

    Bound<Station> typed =
        bind(
            """
            apiVersion: v1
            components:
              prometheus:
                retention: {size: 10 GB}
              grafana:
                adminPassword: hunter2
                password: hunter3
                replicas: x
            """);
    assertThat(typed.reportWithExcerpts())
        .isEqualTo(
            """
            vigil.yaml:4:23: components.prometheus.retention.size: expected a size such as 10Gi, got '10 GB'
             4 |     retention: {size: 10 GB}
               |                       ^
            vigil.yaml:6:20: components.grafana.adminPassword: expected a mapping, got a scalar (not shown, it may be a secret)
            vigil.yaml:7:5: components.grafana.password: unknown field 'password'; expected one of: replicas, cpu, maxBytes, adminPassword, token
            vigil.yaml:8:15: components.grafana.replicas: expected an integer, got 'x'
             8 |     replicas: x
               |               ^\
            """);
    assertThat(typed.report()).doesNotContain("hunter");
  }

  @Test
  void syntaxErrorsAreLocatedProblemsNotExceptions() {
    assertThat(problems("apiVersion: v1\n  bad: indent\n"))
        .containsExactly("vigil.yaml:2:6: invalid YAML: mapping values are not allowed here");
    assertThat(problems("apiVersion: v1\nlabels: {a: b\n"))
        .containsExactly(
            "vigil.yaml:3:1: invalid YAML: expected ',' or '}', but got <stream end> (while parsing"
                + " a flow mapping at line 2)");
    assertThat(problems("apiVersion: 'v1\n"))
        .containsExactly(
            "vigil.yaml:2:1: invalid YAML: found unexpected end of stream (while scanning a quoted"
                + " scalar at line 1)");
    assertThat(problems("apiVersion: v1\n\tlabels: {}\n"))
        .singleElement()
        .asString()
        .startsWith("vigil.yaml:2:1: invalid YAML: found character '\\t(TAB)' that cannot start");
  }

  @Test
  void emptyAndNonMappingDocuments() {
    assertThat(problems(""))
        .containsExactly("vigil.yaml:1:1: the document is empty; expected a mapping");
    assertThat(problems("# nothing\n\n"))
        .containsExactly("vigil.yaml:1:1: the document is empty; expected a mapping");
    assertThat(problems("- a\n"))
        .containsExactly("vigil.yaml:1:1: expected a mapping, got a sequence");
    assertThat(problems("\n\nhello\n"))
        .containsExactly("vigil.yaml:3:1: expected a mapping, got 'hello'");
  }

  @Test
  void validationErrorsAreLocatedAtTheNamedField() {
    assertThat(
            problems(
                """
                apiVersion: v1
                nodes:
                  - name: a
                    address: 1.2.3.4
                  - name: a
                    address: 1.2.3.5
                components:
                  prometheus:
                    retention:
                      size: 30Gi
                receivers:
                  dev:
                    url: {}
                """))
        .containsExactly(
            "vigil.yaml:5:11: nodes[1].name: duplicate node name 'a'",
            "vigil.yaml:10:13: components.prometheus.retention.size: retention size 30Gi exceeds"
                + " the volume size 20Gi",
            "vigil.yaml:13:5: receivers.dev.url: expected exactly one of env or file");
  }

  @Test
  void validationOfAnAbsentFieldFallsBackToTheNearestWrittenAncestor() {
    assertThat(
            problems(
                "apiVersion: v1\ncomponents:\n  prometheus:\n    retention:\n      volume: 1Gi\n"))
        .containsExactly(
            "vigil.yaml:4:5: components.prometheus.retention.size: retention size 10Gi exceeds the"
                + " volume size 1Gi");
  }

  @Test
  void everyProblemIsReportedInOneRunSortedByPosition() {
    List<String> all =
        problems(
            """
            profile: staging
            nodes:
              - name: a
                address: nope
                colour: red
            components:
              prometheus:
                replicas: many
                scrapeInterval: 15
              grafana:
                cpu: lots
            labels: [a]
            """);
    assertThat(all)
        .containsExactly(
            "vigil.yaml:1:1: missing required field 'apiVersion'",
            "vigil.yaml:1:10: profile: expected homelab or production, got 'staging'",
            "vigil.yaml:4:14: nodes[0].address: expected an IP address such as 192.168.4.63, got"
                + " 'nope'",
            "vigil.yaml:5:5: nodes[0].colour: unknown field 'colour'; expected one of: name,"
                + " address, role, mac, ipmi, labels",
            "vigil.yaml:8:15: components.prometheus.replicas: expected an integer, got 'many'",
            "vigil.yaml:9:21: components.prometheus.scrapeInterval: expected a duration such as"
                + " 30s, 5m, 1h, got '15' (a unit is required)",
            "vigil.yaml:11:10: components.grafana.cpu: expected a number, got 'lots'",
            "vigil.yaml:12:9: labels: expected a mapping, got a sequence");
    assertThat(bind("profile: staging\n").value()).isNull();
  }

  @Test
  void locationsAnswerForWrittenAndDefaultedPaths() {
    Bound<Station> b =
        bind(
            "apiVersion: v1\n"
                + "nodes:\n"
                + "  - name: a\n"
                + "    address: 1.2.3.4\n"
                + "  - name: b\n"
                + "    address: 1.2.3.5\n");
    Locations at = b.locations();
    assertThat(at.positionOf("nodes[1].name")).isEqualTo(new Position("vigil.yaml", 5, 11));
    assertThat(at.positionOf("nodes[1]")).isEqualTo(new Position("vigil.yaml", 5, 5));
    assertThat(at.positionOf("nodes")).isEqualTo(new Position("vigil.yaml", 2, 1));
    assertThat(at.isWritten("nodes[1].role")).isFalse();
    assertThat(at.positionOf("nodes[1].role")).isEqualTo(new Position("vigil.yaml", 5, 5));
    assertThat(at.positionOf("components.grafana.cpu")).isEqualTo(new Position("vigil.yaml", 1, 1));
    assertThat(at.problemAt("nodes[1].name", "name clashes with x").toString())
        .isEqualTo("vigil.yaml:5:11: nodes[1].name: name clashes with x");

    Bound<Station> more = b.withProblems(List.of(at.problemAt("nodes[0].address", "taken")));
    assertThat(more.ok()).isFalse();
    assertThat(more.value()).isNull();
    assertThat(more.report()).isEqualTo("vigil.yaml:4:14: nodes[0].address: taken");
    assertThat(b.withProblems(List.of())).isSameAs(b);
  }

  @Test
  void orThrowListsEveryProblem() {
    assertThatThrownBy(() -> bind("foo: 1\n").orThrow())
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "vigil.yaml:1:1: foo: unknown field 'foo'; expected one of: apiVersion, profile,"
                + " nodes, components, labels, receivers\n"
                + "vigil.yaml:1:1: missing required field 'apiVersion'");
    assertThat(bind("apiVersion: v1\n").orThrow().apiVersion()).isEqualTo("v1");
  }

  @Test
  void bindingIsDeterministic() {
    String yaml = "apiVersion: v1\nfoo: 1\nbar: 2\nlabels: {b: 1, a: 2}\nprofile: x\n";
    assertThat(problems(yaml)).isEqualTo(problems(yaml));
    String good = "apiVersion: v1\nlabels: {b: 1, a: 2}\n";
    assertThat(ok(good)).isEqualTo(ok(good));
  }

  record Broken(@Default("abc") int n) {}

  record Unsupported(java.util.Set<String> names) {}

  record NotAYamlValue(@Default("") String s) {}

  @Test
  void mistakesInTheModelAreExceptionsNotProblems() {
    assertThatThrownBy(() -> Binder.bind(Broken.class, "x.yaml", "{}\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("invalid @Default(\"abc\") of Broken.n: expected an integer, got 'abc'");
    assertThatThrownBy(() -> Binder.bind(Unsupported.class, "x.yaml", "names: [a]\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unsupported spec type java.util.Set<java.lang.String>");
    assertThatThrownBy(() -> Binder.bind(NotAYamlValue.class, "x.yaml", "{}\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a YAML value");
    assertThatThrownBy(() -> Binder.bind(String.class, "x.yaml", "a: 1\n"))
        .isInstanceOf(IllegalStateException.class);
  }

  record Fragile(@Doc("d") String name) implements Validated {
    @Override
    public void validate(Checks checks) {
      if (name.isEmpty()) {
        checks.error("name", "must not be empty");
      }
    }
  }

  record Holder(@Doc("d") List<Fragile> items) {}

  @Test
  void aFailingCheckIsALocatedProblem() {
    Bound<Holder> b = Binder.bind(Holder.class, "h.yaml", "items:\n  - {}\n  - name: ''\n");
    assertThat(b.problems()).hasSize(2);
    assertThat(b.problems().get(0).toString())
        .startsWith(
            "h.yaml:2:5: items[0]: could not check Fragile: java.lang.NullPointerException");
    assertThat(b.problems().get(1).toString())
        .isEqualTo("h.yaml:3:11: items[1].name: must not be empty");
  }

  record Tree(@Default("leaf") String name, List<Tree> children, Tree next) {}

  @Test
  void recursiveTypesBind() {
    Bound<Tree> b = Binder.bind(Tree.class, "t.yaml", "children: [{name: a, children: [{}]}]\n");
    assertThat(b.problems()).isEmpty();
    assertThat(b.value().children().get(0).children().get(0).name()).isEqualTo("leaf");
    assertThat(b.value().next()).isNotNull();
    assertThat(b.value().next().next()).isNull();
  }
}
