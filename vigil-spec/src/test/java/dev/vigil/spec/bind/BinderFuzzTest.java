package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Sample.Station;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated documents never escape as exceptions: every outcome is a value or located problems inside
 * the text. Runs {@code vigil.fuzz.tries} documents (more with -Plong).
 */
class BinderFuzzTest {
  static final String VALID =
      """
      apiVersion: vigil.dev/v1
      profile: production
      nodes:
        - &m {name: masternode, address: 192.168.4.63, role: control-plane}
        - <<: *m
          name: homelab
          mac: aa:bb:cc:dd:ee:ff
          ipmi: true
          labels: {"app.kubernetes.io/name": x}
      components:
        prometheus:
          replicas: 2
          scrapeInterval: 1h30m
          retention: {time: 2w, size: 5Gi}
          extraTargets:
            - name: fed
              targets: ['other:9090']
        grafana: {cpu: 1.5, adminPassword: {env: X}}
      labels: {team: sre}
      receivers:
        ops: {url: {file: /x}}
      """;
  static final String[] TOKENS = {
    "!!int ",
    "!!bool ",
    "!!float ",
    "!!null ",
    "!!str ",
    "!!binary ",
    "!x ",
    "~",
    "<<: ",
    "*m",
    "&a ",
    "? ",
    "--- ",
    "...\n",
    "- ",
    ": ",
    "\"",
    "'",
    "0x",
    "0o7",
    ".inf",
    "1e999",
    "99999999999"
  };
  static final String ALPHABET = " \n\t:-{}[],'\"#&*!|>~?%@`0123456789abcxyzÄ\u2028\ufeff";

  @Test
  void mutatedDocumentsGiveValuesOrLocatedProblems() {
    int tries = Integer.getInteger("vigil.fuzz.tries", 2000);
    Random random = new Random(20261122L);
    int withProblems = 0;
    for (int i = 0; i < tries; i++) {
      String text = mutate(VALID, random);
      Bound<Station> b;
      try {
        b = Binder.bind(Station.class, new Source("vigil.yaml", text), overlay(random));
      } catch (RuntimeException e) {
        throw new AssertionError("binding threw on try " + i + " for:\n" + text, e);
      }
      assertThat(b.ok()).isEqualTo(b.value() != null);
      long lines = text.lines().count() + 2;
      for (Problem p : b.problems()) {
        assertThat(p.message()).isNotBlank();
        if (p.file().equals("vigil.yaml")) {
          assertThat((long) p.line()).as("%s in:\n%s", p, text).isLessThanOrEqualTo(lines);
        }
      }
      withProblems += b.ok() ? 0 : 1;
    }
    // The mutations must actually exercise the error paths, not only valid documents.
    assertThat(withProblems).isGreaterThan(tries / 4);
  }

  private static Source overlay(Random random) {
    return random.nextBoolean()
        ? new Source("dev.yaml", mutate("components:\n  prometheus:\n    replicas: 3\n", random))
        : Source.set(mutate("components.grafana.replicas=2", random));
  }

  private static String mutate(String text, Random random) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 3 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
        default -> {
          int end = Math.min(sb.length(), at + random.nextInt(20));
          String piece = sb.substring(at, end);
          sb.insert(random.nextInt(sb.length()), piece);
        }
      }
    }
    return sb.toString();
  }
}
