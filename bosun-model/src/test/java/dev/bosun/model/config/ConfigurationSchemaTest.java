package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConfigurationSchemaTest {
  /** The shipped schema, found from the module directory that Maven runs tests in. */
  private static final Path SHIPPED =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../docs/schema/bosun-configuration.schema.json")
          .toAbsolutePath()
          .normalize();

  private static final String REGENERATE =
      "mvn -o -pl bosun-model test -Dtest=ConfigurationSchemaTest" + " -Dbosun.schema.update=true";

  @Test
  void theShippedSchemaIsTheGeneratedOne() throws IOException {
    String generated = ConfigurationSchema.json();
    if (Boolean.getBoolean("bosun.schema.update")) {
      Files.createDirectories(SHIPPED.getParent());
      Files.writeString(SHIPPED, generated);
    }

    assertThat(SHIPPED).as("%s is missing; generate it with: %s", SHIPPED, REGENERATE).exists();
    assertThat(Files.readString(SHIPPED))
        .as(
            "%s is out of date with the parser's field tables; regenerate it with: %s",
            SHIPPED, REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void describesEveryFieldTheParserReadsAndNoOther() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(ConfigurationSchema.json());

    assertThat(schema.get("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("type");
    assertThat(schema.at("/properties/type/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("task", "service", "dev-environment", "fleet");

    JsonNode defs = schema.get("$defs");
    assertObject(
        defs.get("task"),
        ConfigurationFields.TASK,
        ConfigurationFields.TASK_UNSUPPORTED,
        "type",
        "commands");
    assertThat(defs.at("/task/properties/nvcc/not").isObject()).isTrue();
    assertThat(defs.at("/task/properties/image/pattern").asText())
        .isEqualTo(ContainerFieldRules.IMAGE_PATTERN);
    assertThat(defs.at("/task/properties/python/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("3.9", "3.10", "3.11", "3.12", "3.13");
    assertThat(defs.at("/task/not/required"))
        .extracting(JsonNode::asText)
        .containsExactly("image", "python");
    assertThat(fieldNames(defs.at("/task/dependentSchemas")))
        .containsExactly("entrypoint", "user", "privileged", "registry_auth", "volumes");
    assertObject(
        defs.get("registryAuth"),
        ConfigurationFields.REGISTRY_AUTH,
        List.of(),
        "username",
        "password");
    assertThat(fieldNames(defs.at("/volume/oneOf/1/properties")))
        .containsExactly("instance_path", "path", "optional", "name");
    assertThat(defs.at("/volume/oneOf/1/required"))
        .extracting(JsonNode::asText)
        .containsExactly("instance_path", "path");
    assertThat(defs.at("/volume/oneOf/1/additionalProperties").asBoolean(true)).isFalse();
    assertThat(defs.at("/task/properties/nodes/minimum").asInt()).isEqualTo(1);
    assertThat(defs.at("/task/properties/nodes/maximum").asInt()).isEqualTo(1024);
    assertThat(defs.at("/task/properties/startup_order/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("any", "master-first", "workers-first");
    assertThat(defs.at("/task/properties/stop_criteria/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("all-done", "master-done");
    assertThat(defs.at("/task/properties/preemptible/type").asText()).isEqualTo("boolean");
    assertThat(defs.at("/task/properties/max_price/exclusiveMinimum").asInt()).isZero();
    assertThat(defs.at("/task/properties/spot_policy/not").isObject()).isTrue();
    assertThat(defs.at("/task/properties/type/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("task");
    assertObject(
        defs.get("dev-environment"),
        ConfigurationFields.DEV_ENVIRONMENT,
        ConfigurationFields.DEV_ENVIRONMENT_UNSUPPORTED,
        "type");
    assertThat(defs.at("/dev-environment/properties/type/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("dev-environment");
    assertThat(defs.at("/dev-environment/properties/ide/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("vscode", "cursor", "windsurf");
    assertThat(defs.at("/dev-environment/properties/init/minItems").asInt()).isZero();
    assertThat(defs.at("/dev-environment/properties/inactivity_duration/$ref").asText())
        .isEqualTo("#/$defs/timeLimit");
    assertThat(defs.at("/dev-environment/properties/commands/not").isObject()).isTrue();
    assertThat(defs.at("/dev-environment/properties/commands/description").asText())
        .startsWith("Not allowed: a dev environment runs no commands");
    assertThat(defs.at("/dev-environment/properties/nvcc/description").asText())
        .startsWith("Not supported yet by Bosun: ");
    assertThat(defs.at("/dev-environment/not/required"))
        .extracting(JsonNode::asText)
        .containsExactly("image", "python");
    assertThat(fieldNames(defs.at("/dev-environment/dependentSchemas")))
        .containsExactly("entrypoint", "user", "privileged", "registry_auth", "volumes");
    assertObject(
        defs.get("service"),
        ServiceFields.SERVICE,
        ServiceFields.SERVICE_UNSUPPORTED,
        "type",
        "commands",
        "port");
    assertThat(defs.at("/service/properties/type/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("service");
    assertThat(defs.at("/service/properties/port/oneOf/0/maximum").asInt()).isEqualTo(65535);
    assertThat(defs.at("/service/properties/replicas/oneOf/0/maximum").asInt()).isEqualTo(100);
    assertThat(defs.at("/service/properties/replicas/oneOf/1/pattern").asText())
        .isEqualTo(SchemaTypes.REPLICAS_PATTERN);
    assertThat(defs.at("/service/properties/probes/maxItems").asInt()).isEqualTo(10);
    assertThat(defs.at("/service/properties/model/oneOf/1/$ref").asText())
        .isEqualTo("#/$defs/model");
    assertThat(defs.at("/service/properties/ports/description").asText())
        .startsWith("Not allowed: a service is reached through the server's proxy");
    assertThat(defs.at("/service/properties/gateway/description").asText())
        .startsWith("Not supported yet by Bosun: the server's proxy serves services");
    assertThat(defs.at("/service/dependentRequired/scaling"))
        .extracting(JsonNode::asText)
        .containsExactly("replicas");
    assertThat(defs.at("/service/not/required"))
        .extracting(JsonNode::asText)
        .containsExactly("image", "python");
    assertThat(fieldNames(defs.at("/service/dependentSchemas")))
        .containsExactly("entrypoint", "user", "privileged", "registry_auth", "volumes");
    assertObject(defs.get("scaling"), ServiceFields.SCALING, List.of(), "metric", "target");
    assertThat(defs.at("/scaling/properties/metric/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("rps");
    assertObject(defs.get("probe"), ServiceFields.PROBE, List.of(), "type");
    assertThat(defs.at("/probe/properties/method/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("get", "post", "put", "patch", "delete", "head");
    assertObject(defs.get("probeHeader"), ServiceFields.PROBE_HEADER, List.of(), "name", "value");
    assertObject(defs.get("model"), ServiceFields.MODEL, ServiceFields.MODEL_UNSUPPORTED, "name");
    assertObject(defs.get("rateLimit"), ServiceFields.RATE_LIMIT, List.of(), "rps");
    assertObject(defs.get("rateLimitKey"), ServiceFields.RATE_LIMIT_KEY, List.of(), "type");
    assertThat(defs.at("/rateLimitKey/allOf/0/then/required"))
        .extracting(JsonNode::asText)
        .containsExactly("header");
    assertObject(
        defs.get("fleet"),
        FleetFields.FLEET,
        FleetFields.FLEET_UNSUPPORTED,
        "type",
        "name",
        "ssh_config");
    assertObject(
        defs.get("sshConfig"), FleetFields.SSH_CONFIG, FleetFields.SSH_UNSUPPORTED, "hosts");
    assertObject(
        defs.get("sshHost"), FleetFields.SSH_HOST, FleetFields.SSH_UNSUPPORTED, "hostname");
    assertObject(
        defs.get("proxyJump"), FleetFields.SSH_PROXY_JUMP, FleetFields.SSH_UNSUPPORTED, "hostname");
    assertThat(fieldNames(defs.at("/resources/properties")))
        .containsExactlyElementsOf(ConfigurationFields.names(ResourceFields.RESOURCES));
    assertThat(fieldNames(defs.at("/gpu/oneOf/2/properties")))
        .containsExactlyElementsOf(ConfigurationFields.names(ResourceFields.GPU));
    assertThat(fieldNames(defs.at("/retry/properties")))
        .containsExactlyElementsOf(ConfigurationFields.names(ConfigurationFields.RETRY));
    assertThat(defs.at("/gpu/oneOf/2/additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void theTypeFieldChoosesTheDefinitionThatApplies() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(ConfigurationSchema.json());

    List<String> chosen = new ArrayList<>();
    schema
        .get("allOf")
        .forEach(
            branch ->
                chosen.add(
                    branch.at("/if/properties/type/const").asText()
                        + " -> "
                        + branch.at("/then/$ref").asText()));
    assertThat(chosen)
        .containsExactly(
            "task -> #/$defs/task",
            "service -> #/$defs/service",
            "dev-environment -> #/$defs/dev-environment",
            "fleet -> #/$defs/fleet");
  }

  private static void assertObject(
      JsonNode object,
      List<FieldSpec> fields,
      List<UnsupportedField> unsupported,
      String... required) {
    assertThat(object.get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(object.get("required")).extracting(JsonNode::asText).containsExactly(required);
    assertThat(fieldNames(object.get("properties")))
        .containsExactlyElementsOf(
            concat(
                ConfigurationFields.names(fields),
                unsupported.stream().map(UnsupportedField::name).toList()));
    object
        .get("properties")
        .forEach(field -> assertThat(field.get("description").asText()).isNotBlank());
    assertThat(object.get("description").asText()).isNotBlank();
  }

  @Test
  void everyReferenceResolves() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(ConfigurationSchema.json());
    List<String> references = new ArrayList<>();
    collectReferences(schema, references);

    assertThat(references)
        .isNotEmpty()
        .allSatisfy(
            reference ->
                assertThat(schema.at(reference.substring(1)).isMissingNode())
                    .as("reference %s", reference)
                    .isFalse());
  }

  @Test
  void patternsAcceptTheGrammarsExamplesAndRejectItsMistakes() {
    assertMatches(
        SchemaTypes.MEMORY_PATTERN,
        List.of("16GB", "512 mb", ".5", "1.5TB"),
        List.of("8XB", "-1", ""));
    assertMatches(
        SchemaTypes.MEMORY_RANGE_PATTERN,
        List.of("16GB", "16GB..", "..80GB", "16GB..80GB", "..", "16..80"),
        List.of("16XB..", "16GB...", ""));
    assertMatches(
        SchemaTypes.INT_RANGE_PATTERN,
        List.of("8", "2..8", "2..", "..8"),
        List.of("-1", "1.5", "a"));
    assertMatches(
        SchemaTypes.DURATION_PATTERN,
        List.of("90s", "1h30m", "45", "2h 30m"),
        List.of("2x", "1.5h", ""));
    assertMatches(
        RunFieldRules.BACKEND_PATTERN,
        List.of("local", "ssh", "aws", "lambda-labs", "my_cloud2"),
        List.of("AWS", "1cloud", "", "-ssh", "a b"));
    assertMatches(
        RunFieldRules.INSTANCE_TYPE_PATTERN,
        List.of("p4d.24xlarge", "n1-standard-4", "Standard_NC24ads_A100_v4"),
        List.of("", "p4d 24xlarge", "x".repeat(129)));
    assertMatches(
        RunFieldRules.PRICE_PATTERN,
        List.of("2.5", "3", ".75", "1e3", "2.5E-2"),
        List.of("$2", "-1", "2 USD", ".inf", "0x10", ""));
    assertMatches(
        SchemaTypes.REPLICAS_PATTERN,
        List.of("2", "1..4", "0..4", "..4", " 1 .. 4 "),
        List.of("1..", "..", "-1", "1.5", "a", ""));
    assertMatches(
        ServiceFieldRules.SERVICE_PORT_PATTERN,
        List.of("8000", "80:8000", " 80 : 8000 "),
        List.of("*:8000", "http", "80:", ""));
    assertMatches(
        ServiceFieldRules.HEADER_NAME_PATTERN,
        List.of("Authorization", "X-Api-Key", "x_custom.1"),
        List.of("X Key", "", "a:b"));
    assertMatches(
        ServiceFieldRules.PATH_PATTERN, List.of("/", "/health?x=1", "/v1"), List.of("v1", "/a b"));
    assertMatches(
        SchemaTypes.PORT_PATTERN,
        List.of("8080", "80:8080", "*:8080"),
        List.of("http", "80:", "*"));
  }

  @Property
  void theMemoryRangePatternAcceptsWhatRangesWrite(
      @ForAll @LongRange(min = 0, max = 1L << 42) long a,
      @ForAll @LongRange(min = 0, max = 1L << 42) long b,
      @ForAll boolean openBelow,
      @ForAll boolean openAbove) {
    MemoryRange range =
        new MemoryRange(
            openBelow ? null : Memory.ofMb(Math.min(a, b)),
            openAbove ? null : Memory.ofMb(Math.max(a, b)));
    assertThat(range.toString()).matches(SchemaTypes.MEMORY_RANGE_PATTERN);
    assertThat(Memory.ofMb(a).toString()).matches(SchemaTypes.MEMORY_PATTERN);
  }

  @Property
  void theIntRangeAndDurationPatternsAcceptWhatTheyWrite(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0) int a,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0) int b,
      @ForAll boolean openBelow,
      @ForAll @LongRange(min = 0, max = 1L << 40) long seconds) {
    IntRange range = new IntRange(openBelow ? null : Math.min(a, b), Math.max(a, b));
    assertThat(range.toString()).matches(SchemaTypes.INT_RANGE_PATTERN);
    assertThat(DurationGrammar.format(Duration.ofSeconds(seconds)))
        .matches(SchemaTypes.DURATION_PATTERN);
  }

  private static void assertMatches(String pattern, List<String> accepted, List<String> rejected) {
    Pattern compiled = Pattern.compile(pattern);
    assertThat(accepted)
        .allSatisfy(text -> assertThat(compiled.matcher(text).find()).as(text).isTrue());
    assertThat(rejected)
        .allSatisfy(text -> assertThat(compiled.matcher(text).find()).as(text).isFalse());
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject() && node.has("$ref")) {
      references.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectReferences(child, references));
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
