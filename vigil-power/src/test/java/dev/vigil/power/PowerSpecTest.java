package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Binder;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.power.CheckKind;
import dev.vigil.spec.power.PowerSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowerSpecTest {
  @Test
  void bindsAFullSectionWithDefaults() {
    PowerSpec p =
        Specs.power(
            """
            enabled: true
            controller: masternode
            api:
              token: {env: VIGIL_WAKE_TOKEN}
            nodes:
              masternode: {sleepable: false}
              storagenodet3500:
                mac: B8-AC-6F-7E-6C-9D
                secureOn: {file: /etc/vigil/secureon}
                idle:
                  idleAfter: 45m
                  checks:
                    - kind: tcp-connections
                      name: jellyfin
                      ports: [30096, 8096]
                    - kind: smb
                    - kind: kubernetes-pods
                      allow: [monitoring, media/jellyfin-]
                triggers:
                  ports: [30096, 445, 22]
                  syslogPatterns: ['sshd\\[\\d+\\]: .*storagenodet3500']
                  paths: [/srv/media]
                sleep:
                  drain: true
                  wolInterfaces: [eno1]
            """);
    assertThat(p.wake().ports()).isEmpty();
    assertThat(p.wake().verifyTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(p.api().port()).isEqualTo(9797);
    assertThat(p.api().token().toString()).isEqualTo("env:VIGIL_WAKE_TOKEN");
    var storage = p.nodes().get("storagenodet3500");
    assertThat(storage.sleepable()).isTrue();
    assertThat(storage.idle().idleAfter()).isEqualTo(Duration.ofMinutes(45));
    assertThat(storage.idle().minUptime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(storage.idle().errorCountsAsActive()).isTrue();
    assertThat(storage.idle().checks())
        .extracting(c -> c.kind())
        .containsExactly(CheckKind.TCP_CONNECTIONS, CheckKind.SMB, CheckKind.KUBERNETES_PODS);
    assertThat(storage.sleep().command()).isEmpty();
    assertThat(storage.triggers().holdPorts()).isFalse();
    assertThat(p.nodes().get("masternode").idle().checks()).isEmpty();
  }

  @Test
  void rejectsMistakesWithLocatedProblems() {
    Bound<PowerSpec> b =
        Binder.bind(
            PowerSpec.class,
            "power.yaml",
            """
            enabled: true
            controller: masternode
            nodes:
              masternode: {}
              storage:
                mac: b8:ac:6f:7e:6c
                idle:
                  checks:
                    - kind: tcp-connections
                    - kind: load
                triggers:
                  syslogPatterns: ['sshd[']
              homelab:
                mac: d0:94:66:30:d6:63
                triggers:
                  syslogPatterns: ['sshd[']
            """);
    assertThat(b.ok()).isFalse();
    List<String> problems = b.problems().stream().map(Object::toString).toList();
    assertThat(String.join("\n", problems))
        .contains("the controller node must stay awake")
        .contains("expected a MAC address")
        .contains("tcp-connections needs at least one port")
        .contains("load needs a threshold")
        .contains("invalid regular expression")
        .contains("a sleepable node needs at least one activity check")
        .contains("power.yaml:");
  }
}
