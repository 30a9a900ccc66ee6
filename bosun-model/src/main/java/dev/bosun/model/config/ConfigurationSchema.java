package dev.bosun.model.config;

import static dev.bosun.model.config.SchemaTypes.described;
import static dev.bosun.model.config.SchemaTypes.enumOf;
import static dev.bosun.model.config.SchemaTypes.integer;
import static dev.bosun.model.config.SchemaTypes.nonNegativeInteger;
import static dev.bosun.model.config.SchemaTypes.nonNegativeNumber;
import static dev.bosun.model.config.SchemaTypes.object;
import static dev.bosun.model.config.SchemaTypes.oneOf;
import static dev.bosun.model.config.SchemaTypes.positiveInteger;
import static dev.bosun.model.config.SchemaTypes.string;
import static dev.bosun.model.config.SchemaTypes.type;
import static dev.bosun.model.config.SchemaTypes.whenType;
import static dev.bosun.model.config.SchemaTypes.withExamples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON Schema (draft 2020-12) of configuration files, runs and fleets, for editors: every field
 * with its description, type, enums and patterns, and {@code additionalProperties: false} as the
 * parser is strict. It is generated from the same field tables the parser reads with, and shipped
 * as {@code docs/schema/bosun-configuration.schema.json}.
 */
public final class ConfigurationSchema {
  /** Where the schema is published. */
  public static final String ID = "https://bosun.dev/schema/bosun-configuration.schema.json";

  private ConfigurationSchema() {}

  /** The schema as pretty-printed JSON with {@code \n} line ends and a final newline. */
  public static String json() {
    ObjectNode root =
        JsonNodeFactory.instance
            .objectNode()
            .put("$schema", "https://json-schema.org/draft/2020-12/schema")
            .put("$id", ID)
            .put("title", "Bosun configuration")
            .put(
                "description",
                "A Bosun configuration file (*.bosun.yml), compatible with dstack's format: a run"
                    + " (type: task, service or dev-environment) or a fleet (type: fleet).")
            .put("type", "object");
    root.putArray("required").add("type");
    root.putObject("properties")
        .set(
            "type",
            described(
                enumOf(ConfigurationFields.SUPPORTED_TYPES),
                "The kind of configuration: task, service or dev-environment for a run, fleet for"
                    + " a fleet of hosts."));
    root.putArray("allOf")
        .add(whenType(TaskConfiguration.TYPE, "task"))
        .add(whenType(ServiceConfiguration.TYPE, "service"))
        .add(whenType(DevEnvironmentConfiguration.TYPE, "dev-environment"))
        .add(whenType(FleetConfiguration.TYPE, "fleet"));
    root.set("$defs", definitions());
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator(""));
    printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    try {
      return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the configuration schema", e);
    }
  }

  /**
   * The container rules of a run: image and python are mutually exclusive, and the other container
   * fields need one of them.
   */
  private static ObjectNode containerRules(ObjectNode run) {
    ArrayNode bothImageAndPython = run.putObject("not").putArray("required");
    bothImageAndPython.add("image").add("python");
    ObjectNode dependent = run.putObject("dependentSchemas");
    for (String field : List.of("entrypoint", "user", "privileged", "registry_auth", "volumes")) {
      ArrayNode anyOf = dependent.putObject(field).putArray("anyOf");
      anyOf.addObject().putArray("required").add("image");
      anyOf.addObject().putArray("required").add("python");
    }
    return run;
  }

  /** A condition that holds when the object's {@code type} is {@code type}. */
  private static ObjectNode typeIs(String type) {
    ObjectNode condition = JsonNodeFactory.instance.objectNode();
    condition.putObject("properties").putObject("type").put("const", type);
    condition.putArray("required").add("type");
    return condition;
  }

  private static ObjectNode definitions() {
    ObjectNode defs = JsonNodeFactory.instance.objectNode();
    defs.set(
        "task",
        containerRules(
            described(
                object(
                    ConfigurationFields.TASK,
                    ConfigurationFields.TASK_UNSUPPORTED,
                    List.of("type", "commands")),
                "A task: commands that run to completion on a host that has the resources.")));
    ObjectNode service =
        containerRules(
            described(
                object(
                    ServiceFields.SERVICE,
                    ServiceFields.SERVICE_UNSUPPORTED,
                    List.of("type", "commands", "port")),
                "A service: replicas of an HTTP server behind one URL of the server's proxy, with"
                    + " probes, scaling, rate limits and an OpenAI-compatible endpoint for a"
                    + " model. This version reads and checks services; the server does not run"
                    + " them yet."));
    // scaling moves a range of replicas: without replicas the service runs exactly one
    service.putObject("dependentRequired").putArray("scaling").add("replicas");
    defs.set("service", service);
    defs.set(
        "dev-environment",
        containerRules(
            described(
                object(
                    ConfigurationFields.DEV_ENVIRONMENT,
                    ConfigurationFields.DEV_ENVIRONMENT_UNSUPPORTED,
                    List.of("type")),
                "A dev environment: a host, or a container on it, that runs init once and stays"
                    + " up for you to work in over SSH until it is stopped.")));
    defs.set(
        "fleet",
        described(
            object(
                FleetFields.FLEET,
                FleetFields.FLEET_UNSUPPORTED,
                List.of("type", "name", "ssh_config")),
            "A fleet: hosts you own, reached over SSH, that become the fleet's instances."));
    defs.set(
        "scaling",
        described(
            object(ServiceFields.SCALING, List.of(), List.of("metric", "target")),
            "How a range of replicas follows traffic."));
    defs.set(
        "probe",
        described(
            object(ServiceFields.PROBE, List.of(), List.of("type")),
            "A readiness probe: an HTTP request to each replica."));
    defs.set(
        "probeHeader",
        described(
            object(ServiceFields.PROBE_HEADER, List.of(), List.of("name", "value")),
            "A header of a probe's request."));
    defs.set(
        "model",
        described(
            object(ServiceFields.MODEL, ServiceFields.MODEL_UNSUPPORTED, List.of("name")),
            "A model served through the OpenAI-compatible endpoint, as dstack's mapping writes"
                + " it."));
    defs.set(
        "rateLimit",
        described(
            object(ServiceFields.RATE_LIMIT, List.of(), List.of("rps")),
            "A rate limit of the proxy for requests under a path prefix."));
    ObjectNode key =
        described(
            object(ServiceFields.RATE_LIMIT_KEY, List.of(), List.of("type")),
            "What the requests of a rate limit are counted by.");
    ArrayNode keyRules = key.putArray("allOf");
    ObjectNode byHeader = keyRules.addObject();
    byHeader.set("if", typeIs(RateLimitSpec.Key.HEADER));
    byHeader.putObject("then").putArray("required").add("header");
    ObjectNode byAddress = keyRules.addObject();
    byAddress.set("if", typeIs(RateLimitSpec.Key.IP_ADDRESS));
    byAddress.putObject("then").putObject("not").putArray("required").add("header");
    defs.set("rateLimitKey", key);
    defs.set(
        "env",
        described(
            ConfigurationFields.envSchema(),
            "Environment variables: a list of NAME=value or NAME, or a mapping NAME: value. A name"
                + " without a value takes its value from the environment of whoever runs bosun"
                + " apply."));
    defs.set(
        "tags",
        described(ConfigurationFields.tagsSchema(), "Labels: a mapping of names to values."));
    defs.set(
        "memory",
        withExamples(
            described(
                oneOf(string(SchemaTypes.MEMORY_PATTERN), nonNegativeNumber()),
                "An amount of memory with unit MB, GB or TB; a bare number is GB."),
            "16GB",
            "512MB",
            "1.5TB",
            16));
    defs.set(
        "memoryRange",
        withExamples(
            described(
                oneOf(string(SchemaTypes.MEMORY_RANGE_PATTERN), nonNegativeNumber()),
                "A memory amount or an inclusive range; either bound may be left open."),
            "16GB",
            "16GB..",
            "..80GB",
            "16GB..80GB"));
    defs.set(
        "intRange",
        withExamples(
            described(
                oneOf(string(SchemaTypes.INT_RANGE_PATTERN), nonNegativeInteger()),
                "A whole number or an inclusive range; either bound may be left open."),
            8,
            "2..8",
            "2..",
            "..8"));
    defs.set(
        "duration",
        withExamples(
            described(
                oneOf(string(SchemaTypes.DURATION_PATTERN), nonNegativeInteger()),
                "A duration with unit s, m, h, d or w, or a whole number of seconds."),
            "90s",
            "30m",
            "2h",
            "1d",
            "1h30m"));
    defs.set(
        "timeLimit",
        withExamples(
            described(
                oneOf(
                    string(SchemaTypes.DURATION_PATTERN),
                    nonNegativeInteger(),
                    enumOf(List.of("off")),
                    type("boolean")),
                "A duration, or off (or false) for no limit; true means the server's default."),
            "2h",
            "off"));
    defs.set(
        "port",
        withExamples(
            described(
                oneOf(integer(1, 65535), string(SchemaTypes.PORT_PATTERN)),
                "A port: the same on both sides, LOCAL:PORT, or *:PORT for any free local port."),
            8080,
            "80:8080",
            "*:8080"));
    defs.set(
        "cpu",
        withExamples(
            described(
                oneOf(
                    string(),
                    nonNegativeInteger(),
                    object(ResourceFields.CPU, List.of(), List.of())),
                "CPUs: a count or range with an optional architecture (x86 or arm) in either order, or a mapping."),
            "16..",
            8,
            "arm:8",
            "x86:4..8"));
    defs.set(
        "gpu",
        withExamples(
            described(
                oneOf(
                    string(),
                    nonNegativeInteger(),
                    object(ResourceFields.GPU, List.of(), List.of())),
                "GPUs: colon-separated tokens in any order, each at most once: a vendor (nvidia, amd, tpu, intel), GPU names"
                    + " (A100 or H100,H200), per-GPU memory (24GB..80GB) and a count (8 or 1..4); a count alone; or a"
                    + " mapping."),
            "A100:80GB:8",
            "24GB..:2",
            "nvidia:1..8",
            "H100,H200:8",
            2));
    defs.set(
        "disk",
        withExamples(
            described(
                oneOf(
                    string(SchemaTypes.MEMORY_RANGE_PATTERN),
                    nonNegativeNumber(),
                    object(ResourceFields.DISK, List.of(), List.of("size"))),
                "Disk space: a memory range, or a mapping with size."),
            "100GB..",
            "500GB"));
    defs.set(
        "resources",
        described(
            object(ResourceFields.RESOURCES, List.of(), List.of()),
            "What a host must offer the run. Fields left out take the server's defaults: cpu 2.., memory 8GB..,"
                + " disk 100GB.., any GPUs."));
    defs.set(
        "registryAuth",
        described(
            object(ConfigurationFields.REGISTRY_AUTH, List.of(), List.of("username", "password")),
            "The credentials of a private registry."));
    defs.set(
        "volume",
        withExamples(
            described(
                oneOf(
                    string(ContainerFieldRules.VOLUME_PATTERN),
                    object(
                        ConfigurationFields.VOLUME,
                        ConfigurationFields.VOLUME_UNSUPPORTED,
                        List.of("instance_path", "path"))),
                "A host directory mounted into the container: /host/path:/container/path, or a"
                    + " mapping with instance_path, path and optional."),
            "/mnt/data:/data",
            "/root/.cache/huggingface:/root/.cache/huggingface"));
    defs.set(
        "retry",
        described(
            object(ConfigurationFields.RETRY, List.of(), List.of()), "When to resubmit the run."));
    defs.set(
        "blocks",
        withExamples(
            described(
                oneOf(positiveInteger(), enumOf(List.of("auto"))),
                "How many equal shares a host splits into: a number that divides its GPUs, or auto"
                    + " for one per GPU."),
            "auto",
            2,
            8));
    defs.set(
        "sshConfig",
        described(
            object(FleetFields.SSH_CONFIG, FleetFields.SSH_UNSUPPORTED, List.of("hosts")),
            "The hosts of an SSH fleet and how to log in to them; a host written as a mapping"
                + " overrides these settings for itself."));
    defs.set(
        "sshHost",
        described(
            object(FleetFields.SSH_HOST, FleetFields.SSH_UNSUPPORTED, List.of("hostname")),
            "One host, with settings of its own."));
    defs.set(
        "proxyJump",
        described(
            object(FleetFields.SSH_PROXY_JUMP, FleetFields.SSH_UNSUPPORTED, List.of("hostname")),
            "A jump host to connect through, as ssh -J does."));
    return defs;
  }
}
