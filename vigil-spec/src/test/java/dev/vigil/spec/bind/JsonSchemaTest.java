package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.vigil.spec.bind.Sample.Station;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

class JsonSchemaTest {
  static final String ID = "https://vigil.dev/schema/test.json";
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /** Regenerate with -Dvigil.golden.update=true; the test never rewrites it on its own. */
  static final Path GOLDEN = Path.of("src/test/resources/dev/vigil/spec/bind/sample-schema.json");

  static String schemaText() {
    return JsonSchema.generate(Station.class, ID, "Test station");
  }

  static Set<ValidationMessage> validate(String yaml) throws IOException {
    com.networknt.schema.JsonSchema schema = FACTORY.getSchema(MAPPER.readTree(schemaText()));
    return schema.validate(yamlToJson(yaml));
  }

  /** Plain YAML 1.2 core-schema conversion, independent of the binder's typed reading. */
  static JsonNode yamlToJson(String yaml) {
    List<Problem> problems = new ArrayList<>();
    Node root = YamlTree.parse(new Source("doc.yaml", yaml), problems).orElseThrow();
    assertThat(problems).isEmpty();
    return toJson(root);
  }

  static JsonNode toJson(Node node) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (node instanceof MappingNode m) {
      ObjectNode o = f.objectNode();
      for (NodeTuple t : m.getValue()) {
        o.set(((ScalarNode) t.getKeyNode()).getValue(), toJson(t.getValueNode()));
      }
      return o;
    }
    if (node instanceof SequenceNode s) {
      var a = f.arrayNode();
      s.getValue().forEach(n -> a.add(toJson(n)));
      return a;
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    if (Tag.INT.equals(tag)) {
      return f.numberNode(Binder.parseCoreInt(s.getValue()));
    }
    if (Tag.FLOAT.equals(tag)) {
      return f.numberNode(Double.parseDouble(s.getValue()));
    }
    if (Tag.BOOL.equals(tag)) {
      return f.booleanNode(Boolean.parseBoolean(s.getValue().toLowerCase()));
    }
    if (Tag.NULL.equals(tag)) {
      return f.nullNode();
    }
    return f.textNode(s.getValue());
  }

  @Test
  void schemaIsValidAgainstTheDraft202012MetaSchema() throws IOException {
    com.networknt.schema.JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(JsonSchema.DIALECT));
    JsonNode schema = MAPPER.readTree(schemaText());
    assertThat(meta.validate(schema)).isEmpty();
    // The meta-schema check has teeth: a broken keyword value is reported.
    ((ObjectNode) schema).put("additionalProperties", "no");
    assertThat(meta.validate(schema)).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apiVersion: v1\n",
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
        components:
          prometheus:
            enabled: false
            replicas: 2
            scrapeInterval: 1h30m
            retention: {time: 2w, size: 5Gi, volume: 50Gi}
            extraTargets:
              - name: federate
                targets: ["other:9090"]
                labels: {cluster: other}
          grafana:
            cpu: 1.5
            maxBytes: 5000000000
            adminPassword: {env: GRAFANA_PASSWORD}
        labels: {team: sre}
        receivers:
          ops: {url: {file: /run/secrets/hook}, sendResolved: false}
        """
      })
  void documentsThatBindAlsoValidate(String yaml) throws IOException {
    assertThat(Binder.bind(Station.class, "vigil.yaml", yaml).problems()).isEmpty();
    assertThat(validate(yaml)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apiVersion: v1\nretention: 1\n",
        "apiVersion: v1\ncomponents:\n  prometheus:\n    retentoin: {}\n",
        "apiVersion: v1\nnodes: [{name: a, address: 1.2.3.4, colour: red}]\n",
        "profile: homelab\n",
        "apiVersion: v1\nprofile: staging\n",
        "apiVersion: v1\ncomponents:\n  prometheus:\n    scrapeInterval: 5 min\n",
        "apiVersion: v1\ncomponents:\n  prometheus:\n    replicas: many\n",
        "apiVersion: v1\ncomponents:\n  prometheus:\n    retention: {size: 10 GB}\n",
        "apiVersion: v1\nnodes: [{name: a, address: 1.2.3.4, mac: zz}]\n",
        "apiVersion: v1\nlabels: {a: [b]}\n",
        "apiVersion: v1\nreceivers: {ops: {}}\n"
      })
  void documentsTheBinderRejectsForTheirShapeDoNotValidate(String yaml) throws IOException {
    assertThat(Binder.bind(Station.class, "vigil.yaml", yaml).problems()).isNotEmpty();
    assertThat(validate(yaml)).isNotEmpty();
  }

  @Test
  void describesFieldsWithDocsTypedDefaultsAndReferences() throws IOException {
    JsonNode s = MAPPER.readTree(schemaText());
    assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(s.get("$id").asText()).isEqualTo(ID);
    assertThat(s.get("title").asText()).isEqualTo("Test station");
    assertThat(s.get("description").asText()).isEqualTo("A test station.");
    assertThat(s.get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(s.get("required").toString()).isEqualTo("[\"apiVersion\"]");
    JsonNode profile = s.at("/properties/profile");
    assertThat(profile.toString())
        .isEqualTo(
            "{\"description\":\"Deployment profile.\",\"type\":\"string\","
                + "\"enum\":[\"homelab\",\"production\"],\"default\":\"homelab\"}");
    assertThat(s.at("/properties/nodes/items/$ref").asText()).isEqualTo("#/$defs/Sample.Machine");
    assertThat(s.at("/properties/labels/additionalProperties/type").asText()).isEqualTo("string");
    assertThat(s.at("/properties/receivers/additionalProperties/$ref").asText())
        .isEqualTo("#/$defs/Sample.Receiver");
    JsonNode prometheus = s.at("/$defs/Sample.Prometheus/properties");
    assertThat(prometheus.at("/enabled/default").isBoolean()).isTrue();
    assertThat(prometheus.at("/replicas/default").isIntegralNumber()).isTrue();
    assertThat(prometheus.at("/replicas/type").asText()).isEqualTo("integer");
    assertThat(prometheus.at("/scrapeInterval/default").asText()).isEqualTo("30s");
    assertThat(prometheus.at("/scrapeInterval/pattern").asText())
        .isEqualTo(dev.vigil.base.DurationText.SCHEMA_PATTERN);
    assertThat(s.at("/$defs/Sample.Grafana/properties/cpu/default").isFloatingPointNumber())
        .isTrue();
    assertThat(s.at("/$defs/Sample.Grafana/properties/maxBytes/default").asLong())
        .isEqualTo(1_000_000_000_000L);
    JsonNode size = s.at("/$defs/Sample.Size");
    assertThat(size.toString())
        .isEqualTo(
            "{\"description\":\"Byte size such as 10Gi.\",\"type\":\"string\","
                + "\"pattern\":\"^[0-9]+(Ki|Mi|Gi|Ti)?$\"}");
    assertThat(s.at("/$defs/Sample.Ip/pattern").isMissingNode()).isTrue();
    assertThat(s.at("/$defs/Sample.Retention/properties/size").toString())
        .isEqualTo(
            "{\"description\":\"Retention size.\",\"$ref\":\"#/$defs/Sample.Size\","
                + "\"default\":\"10Gi\"}");
    // Each type is defined once however often it is used.
    assertThat(s.get("$defs").size()).isEqualTo(11);
  }

  record Tree(@Doc("Name.") @Default("leaf") String name, List<Tree> children, Branch branch) {}

  record Branch(@Default("[]") List<String> tags, Tree back) {}

  @Test
  void recursiveTypesAreReferencedNotExpanded() throws IOException {
    JsonNode s =
        MAPPER.readTree(
            JsonSchema.generate(Tree.class, "https://vigil.dev/schema/tree.json", "Tree"));
    assertThat(s.at("/properties/children/items/$ref").asText()).isEqualTo("#");
    assertThat(s.at("/$defs/JsonSchemaTest.Branch/properties/back/$ref").asText()).isEqualTo("#");
    assertThat(s.at("/$defs/JsonSchemaTest.Branch/properties/tags/default").toString())
        .isEqualTo("[]");
    com.networknt.schema.JsonSchema schema = FACTORY.getSchema(s);
    assertThat(schema.validate(yamlToJson("children: [{children: [{name: x}]}]\n"))).isEmpty();
    assertThat(schema.validate(yamlToJson("children: [{children: [{nmae: x}]}]\n"))).isNotEmpty();
  }

  @Test
  void outputIsDeterministicAndMatchesTheGoldenFile() throws IOException {
    String text = schemaText();
    assertThat(schemaText()).isEqualTo(text);
    if (Boolean.getBoolean("vigil.golden.update")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, text, StandardCharsets.UTF_8);
    }
    assertThat(GOLDEN)
        .as("regenerate with -Dvigil.golden.update=true and review the diff")
        .exists();
    assertThat(Files.readString(GOLDEN, StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(text).endsWith("}\n").doesNotContain("\r").contains("\n  \"$schema\": ");
  }

  @Test
  void overlaySchemaAcceptsPartialDocumentsAndDeletions() throws IOException {
    com.networknt.schema.JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(JsonSchema.DIALECT));
    JsonNode overlaySchema =
        MAPPER.readTree(
            JsonSchema.generateOverlay(
                Station.class, "https://vigil.dev/schema/test-overlay.json", "Overlay"));
    assertThat(meta.validate(overlaySchema)).isEmpty();
    com.networknt.schema.JsonSchema overlay = FACTORY.getSchema(overlaySchema);
    com.networknt.schema.JsonSchema full = FACTORY.getSchema(MAPPER.readTree(schemaText()));
    JsonNode dev = yamlToJson(OverlayTest.DEV.text());
    assertThat(overlay.validate(dev)).isEmpty();
    // The same file is not a complete station: the base schema rejects it.
    assertThat(full.validate(dev)).isNotEmpty();
    assertThat(overlay.validate(yamlToJson("components: {prometheus: {retentoin: {}}}\n")))
        .isNotEmpty();
    assertThat(overlay.validate(yamlToJson("components: {prometheus: {replicas: many}}\n")))
        .isNotEmpty();
  }

  @Test
  void messagesNameTheFailingKeywordPlace() throws IOException {
    Set<ValidationMessage> errors =
        validate("apiVersion: v1\ncomponents: {prometheus: {retentoin: {}}}\n");
    assertThat(errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining()))
        .contains("retentoin");
  }
}
