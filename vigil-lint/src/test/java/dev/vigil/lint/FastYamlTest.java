package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast manifest reader against the full YAML parser: every input is loaded both ways and the
 * results must be identical — maps, lists, scalar types, the line of every map and list, configs
 * and input errors. Inputs the fast reader declines fall back to the full parser, so the test also
 * checks that it declines rarely on real manifests (or it would prove nothing).
 */
class FastYamlTest {
  static Loader.Loaded load(String text, boolean fast) {
    Loader l =
        new Loader(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Optional.empty());
    l.fastPath = fast;
    return l.load(List.of("-"));
  }

  static boolean handledFast(String text) {
    try {
      FastYaml.parse(text, (v, plain) -> v);
      return true;
    } catch (FastYaml.Unsupported e) {
      return false;
    }
  }

  static void same(String text) {
    Loader.Loaded fast = load(text, true);
    Loader.Loaded full = load(text, false);
    String where = "input:\n" + text;
    assertThat(fast.errors()).as(where).isEqualTo(full.errors());
    assertThat(fast.manifests()).as(where).hasSameSizeAs(full.manifests());
    for (int i = 0; i < full.manifests().size(); i++) {
      Manifest a = fast.manifests().get(i);
      Manifest b = full.manifests().get(i);
      assertThat(a.line()).as(where).isEqualTo(b.line());
      deepSame(a.root(), b.root(), where + "\nmanifest " + i);
    }
    assertThat(fast.configs()).as(where).hasSameSizeAs(full.configs());
    for (int i = 0; i < full.configs().size(); i++) {
      ConfigDoc a = fast.configs().get(i);
      ConfigDoc b = full.configs().get(i);
      assertThat(List.of(a.type(), String.valueOf(a.text()), a.key(), a.source(), a.line()))
          .as(where)
          .isEqualTo(List.of(b.type(), String.valueOf(b.text()), b.key(), b.source(), b.line()));
      deepSame(a.parsed(), b.parsed(), where + "\nconfig " + i);
    }
  }

  /** Equal values of equal classes, and every map and list starting on the same line. */
  static void deepSame(Object a, Object b, String where) {
    if (a == null || b == null) {
      assertThat(a).as(where).isEqualTo(b);
      return;
    }
    assertThat(a.getClass()).as(where + " at " + b).isEqualTo(b.getClass());
    assertThat(Located.line(a)).as(where + " line of " + b).isEqualTo(Located.line(b));
    if (b instanceof Map<?, ?> mb) {
      Map<?, ?> ma = (Map<?, ?>) a;
      assertThat(new ArrayList<>(ma.keySet())).as(where).isEqualTo(new ArrayList<>(mb.keySet()));
      for (Object k : mb.keySet()) {
        deepSame(ma.get(k), mb.get(k), where + "." + k);
      }
    } else if (b instanceof List<?> lb) {
      List<?> la = (List<?>) a;
      assertThat(la).as(where).hasSameSizeAs(lb);
      for (int i = 0; i < lb.size(); i++) {
        deepSame(la.get(i), lb.get(i), where + "[" + i + "]");
      }
    } else {
      assertThat(a).as(where).isEqualTo(b);
    }
  }

  static List<Path> repositoryYaml() throws IOException {
    Path root = Path.of("..");
    List<Path> out = new ArrayList<>();
    for (String dir :
        List.of(
            "examples",
            "vigil-cli/src/test/resources",
            "vigil-lint/src/test/resources",
            "vigil-render/src/main/resources",
            "vigil-render/src/test/resources")) {
      Path d = root.resolve(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(d)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(out::add);
      }
    }
    return out;
  }

  @Example
  void everyYamlFileOfTheRepositoryLoadsTheSameBothWays() throws IOException {
    List<Path> files = repositoryYaml();
    assertThat(files).hasSizeGreaterThan(100);
    int fast = 0;
    int golden = 0;
    int goldenFast = 0;
    for (Path f : files) {
      String text = Files.readString(f);
      same(text);
      boolean handled = handledFast(text);
      fast += handled ? 1 : 0;
      if (f.toString().contains("golden")) {
        golden++;
        goldenFast += handled ? 1 : 0;
      }
    }
    // Rendered manifests are the reader's home ground: nearly all of them must take the fast path.
    assertThat(goldenFast)
        .as("golden files read fast, of " + golden)
        .isGreaterThan(golden * 9 / 10);
    assertThat(fast).as("files read fast, of " + files.size()).isGreaterThan(files.size() / 2);
  }

  @Example
  void trickyShapes() {
    String[] cases = {
      "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf:\ng: '1'\nh: \"x\\ty\\u00e9\"\ni: 0x1F\nj: 1e3\nk: yes\nl: .inf\n",
      "kind: X\nlist:\n- a\n- b: 1\n  c: 2\n-\n  - nested\n- - inline\n",
      "kind: X\nm:\n  - 1\n  -   2   # comment\n  - 'it''s'\n",
      "# lead\n\n---\n# only a comment\n---\nkind: A\n---\n\n---\nkind: B\n...\n",
      "kind: X\ns: |\n  line 1\n\n    indented\n  last\n\nt: |-\n  strip\n\n\nu: |+\n  keep\n\nv: end\n",
      "kind: X\ns: |\n\n  after blank\nt: |\nu: |2\n   explicit\n",
      "kind: X\nf: >\n  folded\n  text\n",
      "kind: X\nflow: {a: 1, b: [x, y, {c: d}], 'q': \"v\", e: http://h:80/p}\nempty: {}\nel: []\n",
      "kind: X\nbad: {a: 1,\n  b: 2}\n",
      "kind: X\nanchor: &a {x: 1}\nalias: *a\n",
      "kind: X\ntagged: !!str 123\n",
      "kind: X\ndup: 1\ndup: 2\n",
      "kind: X\nplain: multi\n  line\n",
      "kind: X\ncolon: a:b\nurl: https://x.example:8443/p?q=1#frag\nhash: a#b\n",
      "kind: X\n\"quoted key\": 1\n'single': 2\nkey with spaces: 3\n",
      "kind: X\nwin: a\r\nb: c\r\n",
      "kind: X\ntab:\tvalue\n",
      "kind: X\n  over: indented\n",
      "kind: X\na:\n    deep: 1\n  shallow: 2\n",
      "kind: X\ntrue: t\n8080: p\n",
      "- a\n- b\n",
      "just a scalar\n",
      "kind: X\nemoji: \"\uD83D\uDE00\"\n",
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    prometheus.yml: |\n      global: {scrape_interval: 5s}\n",
      "kind: X\nv: - a\n",
      "kind: X\nv: [a, , b]\n",
      "kind: X\nv: {a: b: c}\n",
      "kind: X\nv: 'unclosed\n  continued'\n",
      "kind: X\nv: \"\\x41\"\n",
      "kind: X\nk: |\n  # not a comment\n  x\n# a comment\nz: 1\n",
      "kind: X\nk: |\n   \n  x\n",
      "kind: X\nk: |\n  x\n   \n",
      "kind: X\nk:   # comment\n  nested: 1\n",
      "kind: X\n? complex\n: value\n",
      "kind: X\n%notdirective: 1\n",
      "--- !tag\nkind: X\n",
      "kind: X\nk: |\n  a\n---\nkind: Y\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  prometheus.yml: |\n    global: {scrape_interval: 15s}\n"
          + "    x: {port: 9090, big: 12345678901, huge: 123456789012345678901234, f: 1.5, g: -0.0, i: .inf, n: null,"
          + " b: true, e: '', s: 'x'}\n    l: [1, -2, 3.0e2, false]\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  prometheus.yml: |\n    global: {scrape_interval: ${INTERVAL}}\n",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  prometheus.yml: |\n    global: {scrape_interval: 1m}\n    ---\n    rule_files: [a]\n"
          + "  loki.yaml: |\n    schema_config: {configs: [{from: 2024-01-01}]}\n    dup: 1\n    dup: 2\n",
    };
    for (String c : cases) {
      same(c);
    }
  }

  @Example
  void duplicateKeysOfLargeMappingsGoToTheFullParser() {
    StringBuilder block =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n");
    StringBuilder flow =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {");
    for (int i = 0; i < 40; i++) {
      block.append("  k").append(i).append(": v\n");
      flow.append("k").append(i).append(": v, ");
    }
    assertThat(handledFast(block.toString())).isTrue();
    assertThat(handledFast(flow + "end: v}\n")).isTrue();
    for (String dup :
        List.of(block + "  k3: again\n", block + "  k39: again\n", flow + "k20: again}\n")) {
      assertThat(handledFast(dup)).as(dup).isFalse();
      same(dup);
      assertThat(load(dup, true).errors()).singleElement().asString().contains("duplicate key");
    }
  }

  @Example
  void declinesWhatItDoesNotRead() {
    for (String c :
        List.of(
            "a: &x 1\n",
            "a: >\n  f\n",
            "a: 'x\n  y'\n",
            "a: \"\\x41\"\n",
            "a:\tb\n",
            "a: 1\na: 2\n")) {
      assertThat(handledFast(c)).as(c).isFalse();
    }
    assertThat(handledFast("a: 1\nb: [x, {y: z}]\nc: |\n  t\n")).isTrue();
  }

  @Property
  void generatedManifestsLoadTheSameBothWays(@ForAll("documents") String text) {
    same(text);
  }

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> scalar =
        Arbitraries.of(
            "a",
            "1",
            "-1",
            "1.5",
            "true",
            "no",
            "null",
            "~",
            "''",
            "'x y'",
            "\"q\\\"q\"",
            "http://h:8/x",
            "a b",
            "x#y",
            "0o17",
            "1e3",
            ".5",
            "-",
            "--x",
            "[]",
            "{}",
            "[a, 1]",
            "{k: v, n: 2}",
            "{k: [1, {m: x}]}",
            "\"\\u00e9\"",
            "'it''s'",
            "a: b",
            "*x",
            "&y z",
            "!t v",
            "|",
            ">",
            "v # c");
    Arbitrary<String> key =
        Arbitraries.of("kind", "name", "a", "b-c", "d.e/f", "\"q k\"", "'s'", "x y", "1", "true");
    return Arbitraries.lazyOf(() -> node(scalar, key, 0))
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(docs -> "---\n" + String.join("---\n", docs));
  }

  private Arbitrary<String> node(Arbitrary<String> scalar, Arbitrary<String> key, int depth) {
    Arbitrary<String> entries =
        Arbitraries.integers()
            .between(1, 4)
            .flatMap(
                n -> {
                  List<Arbitrary<String>> parts = new ArrayList<>();
                  for (int i = 0; i < n; i++) {
                    Arbitrary<String> value =
                        depth >= 2
                            ? scalar.map(s -> " " + s + "\n")
                            : Arbitraries.oneOf(
                                scalar.map(s -> " " + s + "\n"),
                                scalar.map(s -> "\n  - " + s + "\n  - " + s + "\n"),
                                scalar.map(s -> "\n- " + s + "\n"),
                                scalar.map(s -> " |\n  line " + s + "\n\n  more\n"),
                                scalar.map(s -> " |-\n    " + s + "\n"),
                                scalar.map(s -> "\n- k: " + s + "\n  j: " + s + "\n"),
                                scalar.map(s -> "   # comment\n  n: " + s + "\n"));
                    parts.add(
                        Arbitraries.just("")
                            .flatMap(x -> key)
                            .flatMap(k -> value.map(v -> k + ":" + v)));
                  }
                  return net.jqwik.api.Combinators.combine(parts).as(l -> String.join("", l));
                });
    return entries;
  }

  @Example
  void benchShapedCorpusTakesTheFastPath() {
    String deployment =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-1\n  namespace: ns-1\n  labels: {app.kubernetes.io/name: app-1}\n"
            + "spec:\n  replicas: 2\n  selector: {matchLabels: {app.kubernetes.io/name: app-1}}\n  template:\n    metadata:\n"
            + "      labels: {app.kubernetes.io/name: app-1}\n    spec:\n      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}\n"
            + "      containers:\n      - name: main\n        image: ghcr.io/example/app-1:1.0.0\n        ports: [{name: http, containerPort: 8080}]\n"
            + "        env: [{name: LOG_LEVEL, value: info}, {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}]\n"
            + "        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}\n"
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-1-prometheus, namespace: ns-1}\ndata:\n  prometheus.yml: |\n"
            + "    global: {scrape_interval: 30s}\n    scrape_configs:\n    - job_name: app-1\n      static_configs: [{targets: [\"app-1:80\"]}]\n";
    assertThat(handledFast(deployment)).isTrue();
    same(deployment);
    if (load(deployment, true).manifests().size() != 2) {
      fail("expected two manifests");
    }
  }
}
