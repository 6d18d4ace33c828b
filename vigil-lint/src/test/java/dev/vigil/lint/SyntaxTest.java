package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.base.input.YamlLimits;
import org.junit.jupiter.api.Test;

/** Files are what their names say: Alloy, INI and JSON are recognised, and garbage is not. */
class SyntaxTest {
  static final String ALLOY =
      """
      // Pods' logs, with their namespace and app as labels.
      discovery.kubernetes "pods" {
        role = "pod"
        selectors {
          role  = "pod"
          field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)
        }
      }

      /* relabel before the write */
      discovery.relabel "pods" {
        targets = discovery.kubernetes.pods.targets
        rule {
          source_labels = ["__meta_kubernetes_namespace", "__meta_kubernetes_pod_label_app"]
          separator     = "/"
          target_label  = "job"
        }
      }

      loki.write "default" {
        endpoint {
          url = `http://loki.monitoring.svc:3100/loki/api/v1/push`
          headers = {
            "X-Scope-OrgID" = "station",
          }
        }
        external_labels = { cluster = "homelab" }
      }
      prometheus.scrape "x" { targets = [{"__address__" = "a:9100"}] }
      """;

  @Test
  void realAlloyConfigurationPasses() {
    assertThat(Syntax.alloy("config.alloy", ALLOY)).isNull();
    assertThat(Syntax.alloy("empty.alloy", "// nothing yet\n")).isNull();
  }

  @Test
  void brokenAlloyIsLocated() {
    assertThat(Syntax.alloy("a.alloy", "loki.write \"x\" {\n  url = \"http://x\n}\n").toString())
        .isEqualTo("a.alloy:2:9: not Alloy configuration: unterminated string");
    assertThat(
            Syntax.alloy("a.alloy", "loki.write \"x\" {\n  endpoint {\n    url = [1, 2\n  }\n")
                .toString())
        .isEqualTo("a.alloy:4:3: not Alloy configuration: expected ']', found '}'");
    assertThat(Syntax.alloy("a.alloy", "a = 1)\n").toString())
        .isEqualTo("a.alloy:1:6: not Alloy configuration: unbalanced ')'");
    assertThat(Syntax.alloy("a.alloy", "loki.write \"x\" {\n  url =\n}\n").toString())
        .isEqualTo(
            "a.alloy:2:8: not Alloy configuration: expected a value after '=', found the end of the line");
    assertThat(Syntax.alloy("a.alloy", "logging {\n").toString())
        .isEqualTo(
            "a.alloy:2:1: not Alloy configuration: expected '}' closing the block, found the end of the file");
    assertThat(Syntax.alloy("a.alloy", "{\"json\": true}\n").toString()).contains("a.alloy:1:1:");
    assertThat(Syntax.alloy("a.alloy", "a {".repeat(200)).toString())
        .contains("nested more than 128");
  }

  @Test
  void iniSectionsKeysAndComments() {
    assertThat(
            Syntax.ini(
                "g.ini",
                "; comment\n# comment\n[server]\nhttp_port = 3000\n[auth.anonymous]\nenabled: false\n\n"))
        .isNull();
    assertThat(Syntax.ini("g.ini", "[server\nx = 1\n").toString())
        .isEqualTo("g.ini:1:1: not INI: a section header is [name]");
    assertThat(Syntax.ini("g.ini", "[server]\n= value\n").toString())
        .startsWith("g.ini:2:1: not INI: expected [section]");
  }

  @Test
  void jsonIsOneObjectOrArray() {
    YamlLimits limits = YamlLimits.MANIFESTS;
    assertThat(Syntax.json("a.json", "{\"kind\": \"Pod\"}\n", limits)).isNull();
    assertThat(Syntax.json("a.json", "", limits)).isNull();
    assertThat(Syntax.json("a.json", "{\"a\": 1}\n{\"b\": 2}\n", limits).toString())
        .startsWith("a.json:2:1: not JSON: content after");
    assertThat(Syntax.json("a.json", "\"text\"", limits).toString())
        .isEqualTo("a.json:1:1: not a JSON object or array");
    assertThat(Syntax.json("a.json", "{\"a\": [1,]}", limits).toString())
        .startsWith("a.json:1:")
        .contains("not JSON");
  }
}
