package dev.bosun.model.config;

import static dev.bosun.model.config.SchemaTypes.arrayOf;
import static dev.bosun.model.config.SchemaTypes.enumOf;
import static dev.bosun.model.config.SchemaTypes.integer;
import static dev.bosun.model.config.SchemaTypes.mapOf;
import static dev.bosun.model.config.SchemaTypes.oneOf;
import static dev.bosun.model.config.SchemaTypes.ref;
import static dev.bosun.model.config.SchemaTypes.string;
import static dev.bosun.model.config.SchemaTypes.type;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * The field tables of configuration files: which fields each mapping allows, what they mean and
 * their JSON Schema. {@link MappingReader} refuses to read a field that is not here and fails when
 * a field here is never read, and {@link ConfigurationSchema} is generated from these tables, so
 * the parser, the schema and the docs agree.
 */
final class ConfigurationFields {
  /** The run types a file may declare, as {@link ConfigurationParser#parse} reads them. */
  static final List<String> RUN_TYPES = List.of("task");

  /** Every type a file may declare, as {@link ConfigurationParser#parseAny} reads them. */
  static final List<String> SUPPORTED_TYPES = List.of("task", "fleet");

  /** dstack's types that come in later releases. */
  static final List<String> LATER_TYPES =
      List.of("service", "dev-environment", "volume", "gateway");

  static final List<FieldSpec> TASK =
      List.of(
          new FieldSpec(
              "type",
              "The kind of configuration. This version of Bosun runs tasks.",
              enumOf(RUN_TYPES)),
          new FieldSpec(
              "name",
              "The run name: a lower-case letter, then 1 to 40 lower-case letters, digits or '-'."
                  + " Bosun picks a name when it is left out.",
              string(RunFieldRules.NAME_PATTERN)),
          new FieldSpec(
              "commands",
              "The shell commands to run, in order, in one shell session.",
              arrayOf(string().put("minLength", 1), 1)),
          new FieldSpec(
              "env",
              "Environment variables: a list of NAME=value or NAME, or a mapping NAME: value. A name"
                  + " without a value takes its value from the environment of whoever submits the run.",
              ref("env")),
          new FieldSpec(
              "working_dir", "The directory the commands start in.", string().put("minLength", 1)),
          new FieldSpec(
              "shell",
              "The shell that runs the commands: sh, bash, or the absolute path of a shell.",
              oneOf(enumOf(RunFieldRules.SHELLS), string("^/"))),
          new FieldSpec(
              "resources",
              "What a host must offer the run: CPUs, memory, disk, shared memory and GPUs.",
              ref("resources")),
          new FieldSpec(
              "priority",
              "Queue priority from 0 to 100; higher runs first.",
              integer(0, RunFieldRules.MAX_PRIORITY)),
          new FieldSpec(
              "retry",
              "Resubmit the run after these events: true for all of them, false for none, or a"
                  + " mapping with on_events and duration.",
              oneOf(type("boolean"), ref("retry"))),
          new FieldSpec(
              "max_duration",
              "The longest the run may take before Bosun stops it, e.g. 2h or 1d, or off for"
                  + " no limit.",
              ref("timeLimit")),
          new FieldSpec(
              "stop_duration",
              "How long a stopping run may take to exit before it is killed, e.g. 5m, or off"
                  + " to wait for it.",
              ref("timeLimit")),
          new FieldSpec(
              "ports",
              "Ports of the task to forward to the submitter's machine: 8080, \"80:8080\" (local"
                  + " 80 to the task's 8080) or \"*:8080\" (any free local port).",
              arrayOf(ref("port"), 0)),
          new FieldSpec(
              "fleets",
              "Only place the run on these fleets.",
              arrayOf(string(RunFieldRules.NAME_PATTERN), 0)),
          new FieldSpec(
              "tags", "Labels for the run, shown in listings and usable in filters.", ref("tags")));

  /** The schema of {@code env}, which runs and fleets share. */
  static ObjectNode envSchema() {
    return oneOf(
        arrayOf(string("^[A-Za-z_][A-Za-z0-9_]*(=[\\s\\S]*)?$"), 0),
        mapOf(
            string("^[A-Za-z_][A-Za-z0-9_]*$"),
            oneOf(type("string"), type("number"), type("boolean"), type("null"))));
  }

  /** The schema of {@code tags}, which runs and fleets share. */
  static ObjectNode tagsSchema() {
    return mapOf(
        string(RunFieldRules.TAG_KEY_PATTERN),
        oneOf(
            string().put("maxLength", RunFieldRules.TAG_VALUE_MAX),
            type("number"),
            type("boolean")));
  }

  private static final String CONTAINERS = "containers come in a later release";
  private static final String CLOUD = "cloud backends come in a later release";
  private static final String MULTI_NODE = "multi-node tasks come in a later release";
  private static final String CODE = "uploading code and files comes in a later release";

  static final List<UnsupportedField> TASK_UNSUPPORTED =
      List.of(
          new UnsupportedField("image", CONTAINERS),
          new UnsupportedField("user", CONTAINERS),
          new UnsupportedField("privileged", CONTAINERS),
          new UnsupportedField("entrypoint", CONTAINERS),
          new UnsupportedField("registry_auth", CONTAINERS),
          new UnsupportedField("python", CONTAINERS),
          new UnsupportedField("nvcc", CONTAINERS),
          new UnsupportedField("docker", CONTAINERS),
          new UnsupportedField("home_dir", CONTAINERS),
          new UnsupportedField("volumes", "volumes come in a later release"),
          new UnsupportedField("files", CODE),
          new UnsupportedField("repos", CODE),
          new UnsupportedField("single_branch", CODE),
          new UnsupportedField(
              "setup", "it is deprecated in dstack; put the lines at the start of commands"),
          new UnsupportedField("nodes", MULTI_NODE),
          new UnsupportedField("startup_order", MULTI_NODE),
          new UnsupportedField("stop_criteria", MULTI_NODE),
          new UnsupportedField("spot_policy", CLOUD),
          new UnsupportedField("max_price", CLOUD),
          new UnsupportedField("creation_policy", CLOUD),
          new UnsupportedField("idle_duration", CLOUD),
          new UnsupportedField("backends", CLOUD),
          new UnsupportedField("regions", CLOUD),
          new UnsupportedField("availability_zones", CLOUD),
          new UnsupportedField("instance_types", CLOUD),
          new UnsupportedField("reservation", CLOUD),
          new UnsupportedField("termination_policy", CLOUD),
          new UnsupportedField("termination_idle_time", CLOUD),
          new UnsupportedField("pool_name", CLOUD),
          new UnsupportedField("instance_name", CLOUD),
          new UnsupportedField("retry_policy", "it is deprecated in dstack; use retry"),
          new UnsupportedField(
              "utilization_policy", "utilization policies come in a later release"),
          new UnsupportedField("schedule", "scheduled runs come in a later release"));

  static final List<FieldSpec> RESOURCES =
      List.of(
          new FieldSpec(
              "cpu",
              "CPUs: a count or range with an optional architecture, e.g. 16.., arm:8 or x86:4..8;"
                  + " 2.. when left out.",
              ref("cpu")),
          new FieldSpec(
              "memory",
              "Memory: an amount or range with unit MB, GB or TB, e.g. 64GB..; 8GB.. when left"
                  + " out.",
              ref("memoryRange")),
          new FieldSpec(
              "disk",
              "Disk space: an amount or range such as 500GB.., or a mapping with size; 100GB.. when"
                  + " left out.",
              ref("disk")),
          new FieldSpec(
              "shm_size",
              "Shared memory (/dev/shm), e.g. 16GB; PyTorch data loaders may need more.",
              ref("memory")),
          new FieldSpec(
              "gpu",
              "GPUs: colon-separated tokens in any order (vendor, names, per-GPU memory, count), e.g."
                  + " A100:80GB:8, 24GB..:2 or nvidia:1..8; a count alone, or a mapping.",
              ref("gpu")));

  static final List<FieldSpec> CPU =
      List.of(
          new FieldSpec("arch", "The CPU architecture: x86 or arm.", enumOf(List.of("x86", "arm"))),
          new FieldSpec("count", "The number of CPUs, e.g. 8 or 4..16.", ref("intRange")));

  static final List<FieldSpec> GPU =
      List.of(
          new FieldSpec(
              "vendor", "The GPU vendor.", enumOf(List.of("nvidia", "amd", "tpu", "intel"))),
          new FieldSpec(
              "name",
              "One GPU model name or a list of them, e.g. A100 or [H100, H200]; matched ignoring case.",
              oneOf(string(), arrayOf(string("^[A-Za-z][A-Za-z0-9_-]{0,63}$"), 1))),
          new FieldSpec("memory", "Memory per GPU, e.g. 80GB or 24GB..80GB.", ref("memoryRange")),
          new FieldSpec("count", "The number of GPUs, e.g. 8 or 1..4.", ref("intRange")),
          new FieldSpec(
              "total_memory",
              "Memory of all the run's GPUs together, e.g. 160GB...",
              ref("memoryRange")),
          new FieldSpec(
              "compute_capability",
              "The least NVIDIA compute capability, e.g. 8.0.",
              oneOf(string("^\\s*\\d{1,3}(\\.\\d{1,3})?\\s*$"), type("number"))));

  static final List<FieldSpec> DISK =
      List.of(new FieldSpec("size", "The disk size, e.g. 100GB or 500GB...", ref("memoryRange")));

  static final List<FieldSpec> RETRY =
      List.of(
          new FieldSpec(
              "on_events",
              "The events that cause a retry; all of them when left out.",
              arrayOf(
                  enumOf(Arrays.stream(RetryEvent.values()).map(RetryEvent::yamlName).toList()),
                  1)),
          new FieldSpec(
              "duration",
              "How long after the first submission retries may go on, e.g. 1h.",
              ref("duration")));

  /** Names in a table, for messages such as "allowed fields: ...". */
  static List<String> names(List<FieldSpec> fields) {
    return fields.stream().map(FieldSpec::name).toList();
  }

  private ConfigurationFields() {}
}
