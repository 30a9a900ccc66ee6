package dev.bosun.model.config;

import static dev.bosun.model.config.SchemaTypes.arrayOf;
import static dev.bosun.model.config.SchemaTypes.enumOf;
import static dev.bosun.model.config.SchemaTypes.integer;
import static dev.bosun.model.config.SchemaTypes.mapOf;
import static dev.bosun.model.config.SchemaTypes.nonNegativeInteger;
import static dev.bosun.model.config.SchemaTypes.oneOf;
import static dev.bosun.model.config.SchemaTypes.positiveNumber;
import static dev.bosun.model.config.SchemaTypes.ref;
import static dev.bosun.model.config.SchemaTypes.string;
import static dev.bosun.model.config.SchemaTypes.type;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The field tables of configuration files: which fields each mapping allows, what they mean and
 * their JSON Schema. {@link MappingReader} refuses to read a field that is not here and fails when
 * a field here is never read, and {@link ConfigurationSchema} is generated from these tables, so
 * the parser, the schema and the docs agree.
 */
final class ConfigurationFields {
  /** The run types a file may declare, as {@link ConfigurationParser#parse} reads them. */
  static final List<String> RUN_TYPES =
      List.of(TaskConfiguration.TYPE, ServiceConfiguration.TYPE, DevEnvironmentConfiguration.TYPE);

  /** Every type a file may declare, as {@link ConfigurationParser#parseAny} reads them. */
  static final List<String> SUPPORTED_TYPES =
      Stream.concat(RUN_TYPES.stream(), Stream.of(FleetConfiguration.TYPE)).toList();

  /** dstack's types that come in later releases. */
  static final List<String> LATER_TYPES = List.of("volume", "gateway");

  static final List<FieldSpec> TASK =
      List.of(
          new FieldSpec(
              "type",
              "The kind of configuration: task, for commands that run to completion.",
              enumOf(List.of(TaskConfiguration.TYPE))),
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
              "image",
              "The Docker image the jobs run in: [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST],"
                  + " e.g. pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime or"
                  + " nvcr.io/nvidia/pytorch:24.07-py3. Not together with python. Without image or"
                  + " python the jobs run as processes on the host.",
              string(ContainerFieldRules.IMAGE_PATTERN)),
          new FieldSpec(
              "python",
              "Run the jobs in a base image with this Python version, written in quotes: \"3.9\" to"
                  + " \"3.13\". Not together with image.",
              enumOf(ContainerFieldRules.PYTHON_VERSIONS)),
          new FieldSpec(
              "entrypoint",
              "A command line that replaces the image's entrypoint, e.g. /bin/bash -lc. Needs"
                  + " image or python.",
              string().put("minLength", 1).put("pattern", "\\S")),
          new FieldSpec(
              "user",
              "The user the commands run as in the container: a name or id, optionally with a"
                  + " group as USER:GROUP, e.g. ubuntu or 1000:1000. Needs image or python.",
              oneOf(string(ContainerFieldRules.USER_PATTERN), nonNegativeInteger())),
          new FieldSpec(
              "privileged",
              "Whether the container runs privileged; false when left out. Needs image or python.",
              type("boolean")),
          new FieldSpec(
              "registry_auth",
              "The credentials to pull a private image: a mapping with username and password."
                  + " Needs image or python.",
              ref("registryAuth")),
          new FieldSpec(
              "volumes",
              "Host directories mounted into the container: /host/path:/container/path, or a"
                  + " mapping with instance_path, path and optional. Needs image or python.",
              arrayOf(ref("volume"), 0)),
          new FieldSpec(
              "resources",
              "What a host must offer the run: CPUs, memory, disk, shared memory and GPUs.",
              ref("resources")),
          new FieldSpec(
              "nodes",
              "The number of hosts the task runs on at once, one job on each: 1 (the default) to"
                  + " 1024. More than one needs a fleet with placement: cluster.",
              integer(1, RunFieldRules.MAX_NODES)),
          new FieldSpec(
              "startup_order",
              "The order the jobs of a multi-node task start in: any (the default), master-first or"
                  + " workers-first.",
              enumOf(StartupOrder.yamlNames())),
          new FieldSpec(
              "stop_criteria",
              "When a multi-node task is done: all-done (the default) when every job is done, or"
                  + " master-done when the master job (node 0) is done.",
              enumOf(StopCriteria.yamlNames())),
          new FieldSpec(
              "priority",
              "Queue priority from 0 to 100; higher runs first.",
              integer(0, RunFieldRules.MAX_PRIORITY)),
          new FieldSpec(
              "preemptible",
              "Whether the run may be stopped to make room for a waiting run of higher priority,"
                  + " and is then queued again; false when left out.",
              type("boolean")),
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
              "Ports of the run to forward to the submitter's machine: 8080, \"80:8080\" (local"
                  + " 80 to the run's 8080) or \"*:8080\" (any free local port).",
              arrayOf(ref("port"), 0)),
          new FieldSpec(
              "fleets",
              "Only place the run on these fleets: the project's own by name, fleets other"
                  + " projects share with it as PROJECT/FLEET.",
              arrayOf(string(RunFieldRules.FLEET_REFERENCE_PATTERN), 0)),
          new FieldSpec(
              "backends",
              "Only place the run on these backends: lower-case names; Bosun's are local and ssh.",
              arrayOf(string(RunFieldRules.BACKEND_PATTERN), 1)),
          new FieldSpec(
              "instance_types",
              "Only place the run on instances of these types, e.g. [p4d.24xlarge].",
              arrayOf(string(RunFieldRules.INSTANCE_TYPE_PATTERN), 1)),
          new FieldSpec(
              "max_price",
              "The most the run may cost per hour of each host, in dollars, e.g. 2.5.",
              positiveNumber()),
          new FieldSpec(
              "tags", "Labels for the run, shown in listings and usable in filters.", ref("tags")));

  /**
   * The fields of a dev environment: a task's, without those about commands and several nodes, and
   * with {@code ide}, {@code version} and {@code init} where a task has {@code commands} and {@code
   * inactivity_duration} after {@code stop_duration}.
   */
  static final List<FieldSpec> DEV_ENVIRONMENT = devEnvironment();

  private static List<FieldSpec> devEnvironment() {
    List<FieldSpec> fields = new ArrayList<>();
    for (FieldSpec field : TASK) {
      switch (field.name()) {
        case "type" ->
            fields.add(
                new FieldSpec(
                    "type",
                    "The kind of configuration: dev-environment, for a host (or a container on"
                        + " it) that stays up for you to work in over SSH.",
                    enumOf(List.of(DevEnvironmentConfiguration.TYPE))));
        case "commands" -> {
          fields.add(
              new FieldSpec(
                  "ide",
                  "The IDE you work in: vscode, cursor or windsurf, which installs its server over"
                      + " SSH when it connects. Leave it out for none.",
                  enumOf(DevEnvironmentConfiguration.IDES)));
          fields.add(
              new FieldSpec(
                  "version",
                  "The version of the IDE's server. dstack pre-installs that build; Bosun accepts"
                      + " and keeps it, as the IDE installs its own server when it connects.",
                  string("\\S")));
          fields.add(
              new FieldSpec(
                  "init",
                  "Shell commands run once, in order, when the environment starts; it then stays"
                      + " up until it is stopped.",
                  arrayOf(string().put("minLength", 1), 0)));
        }
        case "nodes", "startup_order", "stop_criteria" -> {}
        case "stop_duration" -> {
          fields.add(field);
          fields.add(
              new FieldSpec(
                  "inactivity_duration",
                  "How long the environment may go without an SSH session (a shell, scp or an"
                      + " IDE) before Bosun stops it, e.g. 2h, or off to keep it up however long"
                      + " it is idle.",
                  ref("timeLimit")));
        }
        default -> fields.add(field);
      }
    }
    return List.copyOf(fields);
  }

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

  private static final String CLOUD = "cloud backends come in a later release";
  private static final String CODE = "uploading code and files comes in a later release";

  static final List<UnsupportedField> TASK_UNSUPPORTED =
      List.of(
          new UnsupportedField("nvcc", "installing nvcc in the container comes in a later release"),
          new UnsupportedField("docker", "Docker inside the container comes in a later release"),
          new UnsupportedField(
              "home_dir", "choosing the container's home directory comes in a later release"),
          new UnsupportedField("files", CODE),
          new UnsupportedField("repos", CODE),
          new UnsupportedField("single_branch", CODE),
          new UnsupportedField(
              "setup", "it is deprecated in dstack; put the lines at the start of commands"),
          new UnsupportedField("spot_policy", CLOUD),
          new UnsupportedField("creation_policy", CLOUD),
          new UnsupportedField("idle_duration", CLOUD),
          new UnsupportedField("regions", CLOUD),
          new UnsupportedField("availability_zones", CLOUD),
          new UnsupportedField("reservation", CLOUD),
          new UnsupportedField("termination_policy", CLOUD),
          new UnsupportedField("termination_idle_time", CLOUD),
          new UnsupportedField("pool_name", CLOUD),
          new UnsupportedField("instance_name", CLOUD),
          new UnsupportedField("retry_policy", "it is deprecated in dstack; use retry"),
          new UnsupportedField(
              "utilization_policy", "utilization policies come in a later release"),
          new UnsupportedField("schedule", "scheduled runs come in a later release"));

  private static final String ONE_JOB = "a dev environment runs one job on one host";

  /**
   * A task's unsupported fields, with the advice for {@code setup} fitted to {@code init}, and the
   * task's fields that do not apply to a dev environment.
   */
  static final List<UnsupportedField> DEV_ENVIRONMENT_UNSUPPORTED =
      Stream.concat(
              TASK_UNSUPPORTED.stream()
                  .map(
                      field ->
                          field.name().equals("setup")
                              ? field.withReason(
                                  "it is deprecated in dstack; put the lines in init")
                              : field),
              Stream.of(
                  UnsupportedField.notApplicable(
                      "commands",
                      "a dev environment runs no commands; put setup lines in init, or use type:"
                          + " task"),
                  UnsupportedField.notApplicable(
                      "nodes",
                      "a dev environment runs on one host; use type: task for multi-node runs"),
                  UnsupportedField.notApplicable(
                      "startup_order", ONE_JOB + "; startup_order is for multi-node tasks"),
                  UnsupportedField.notApplicable(
                      "stop_criteria", ONE_JOB + "; stop_criteria is for multi-node tasks")))
          .toList();

  /** The fields of {@code registry_auth}. */
  static final List<FieldSpec> REGISTRY_AUTH =
      List.of(
          new FieldSpec("username", "The user name at the registry.", string().put("minLength", 1)),
          new FieldSpec(
              "password",
              "The password or access token. It is a secret: Bosun never logs it.",
              string().put("minLength", 1)));

  /** The fields of a volume written as a mapping. */
  static final List<FieldSpec> VOLUME =
      List.of(
          new FieldSpec(
              "instance_path", "The absolute path of the directory on the host.", string("^/")),
          new FieldSpec(
              "path", "The absolute path the directory appears at in the container.", string("^/")),
          new FieldSpec(
              "optional",
              "Whether the job may start without the mount on a host that lacks instance_path;"
                  + " false when left out.",
              type("boolean")));

  /** dstack's network volumes, which a volume mapping names with {@code name}. */
  static final List<UnsupportedField> VOLUME_UNSUPPORTED =
      List.of(new UnsupportedField("name", "network volumes come in a later release"));

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
