package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code type: task} configuration: commands that run to completion on a host that has the
 * resources.
 *
 * @param name the run name, or null for a server-chosen name
 * @param commands the shell commands, at least one, none blank
 * @param env environment variables; {@link Environment#EMPTY} when none
 * @param workingDir the directory the commands start in, or null
 * @param shell {@code sh}, {@code bash}, an absolute path, or null
 * @param resources the resources; {@link ResourcesSpec#UNSPECIFIED} when not given
 * @param priority queue priority 0..100, or null
 * @param retry when to resubmit, or null when not given
 * @param maxDuration {@code max_duration}, or null when not given
 * @param stopDuration {@code stop_duration}, or null when not given
 * @param ports ports forwarded to the submitter's machine
 * @param fleets fleets the run may use; empty for any
 * @param tags labels, in file order
 */
public record TaskConfiguration(
    String name,
    List<String> commands,
    Environment env,
    String workingDir,
    String shell,
    ResourcesSpec resources,
    Integer priority,
    RetryPolicy retry,
    TimeLimit maxDuration,
    TimeLimit stopDuration,
    List<PortMapping> ports,
    List<String> fleets,
    Map<String, String> tags)
    implements RunConfiguration {
  /** The {@code type} value of task files. */
  public static final String TYPE = "task";

  public TaskConfiguration {
    if (name != null) {
      RunFieldRules.runName(name);
    }
    commands =
        List.copyOf(RunFieldRules.commands(Objects.requireNonNull(commands, "commands is null")));
    env = env == null ? Environment.EMPTY : env;
    if (workingDir != null) {
      RunFieldRules.workingDir(workingDir);
    }
    if (shell != null) {
      RunFieldRules.shell(shell);
    }
    resources = resources == null ? ResourcesSpec.UNSPECIFIED : resources;
    if (priority != null) {
      RunFieldRules.priority(priority);
    }
    ports = ports == null ? List.of() : List.copyOf(ports);
    fleets = fleets == null ? List.of() : List.copyOf(fleets);
    fleets.forEach(RunFieldRules::fleetName);
    tags =
        tags == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(RunFieldRules.tags(tags)));
  }

  /** A task that only runs {@code commands}, every other field left out. */
  public static TaskConfiguration of(List<String> commands) {
    return new TaskConfiguration(
        null, commands, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public TaskConfiguration withName(String newName) {
    return new TaskConfiguration(
        newName,
        commands,
        env,
        workingDir,
        shell,
        resources,
        priority,
        retry,
        maxDuration,
        stopDuration,
        ports,
        fleets,
        tags);
  }

  @Override
  public TaskConfiguration withEnv(Environment newEnv) {
    return new TaskConfiguration(
        name,
        commands,
        newEnv,
        workingDir,
        shell,
        resources,
        priority,
        retry,
        maxDuration,
        stopDuration,
        ports,
        fleets,
        tags);
  }
}
