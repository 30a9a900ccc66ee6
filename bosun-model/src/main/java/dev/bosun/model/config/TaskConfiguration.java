package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code type: task} configuration: commands that run to completion on one host that has the
 * resources, or on {@code nodes} hosts at once.
 *
 * @param name the run name, or null for a server-chosen name
 * @param commands the shell commands, at least one, none blank
 * @param env environment variables; {@link Environment#EMPTY} when none
 * @param workingDir the directory the commands start in, or null
 * @param shell {@code sh}, {@code bash}, an absolute path, or null
 * @param resources the resources of each node; {@link ResourcesSpec#UNSPECIFIED} when not given
 * @param priority queue priority 0..100, or null
 * @param retry when to resubmit, or null when not given
 * @param maxDuration {@code max_duration}, or null when not given
 * @param stopDuration {@code stop_duration}, or null when not given
 * @param ports ports forwarded to the submitter's machine
 * @param fleets fleets the run may use; empty for any
 * @param tags labels, in file order
 * @param nodes how many jobs the run has, one per host: 1 (the default) to 1024
 * @param startupOrder the order the jobs start in; {@link StartupOrder#ANY} when not given (null is
 *     read as that)
 * @param stopCriteria when the run is done; {@link StopCriteria#ALL_DONE} when not given (null is
 *     read as that)
 * @param preemptible whether the run may be stopped to make room for a waiting run of higher
 *     priority, and then re-queued; false when not given
 * @param backends the backends the run may use, lower-case names; empty for any
 * @param instanceTypes the instance types the run may use; empty for any
 * @param maxPrice the most the run may cost per hour of each host, in dollars; null for no limit
 * @param container the container the jobs run in, from {@code image}, {@code python} and the fields
 *     that go with them; null when the task gives none of them, and its jobs run as processes on
 *     the host
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
    Map<String, String> tags,
    int nodes,
    StartupOrder startupOrder,
    StopCriteria stopCriteria,
    boolean preemptible,
    List<String> backends,
    List<String> instanceTypes,
    Double maxPrice,
    ContainerConfig container)
    implements RunConfiguration {
  /** The {@code type} value of task files. */
  public static final String TYPE = "task";

  /** The {@code nodes} of a task that does not say: one. */
  public static final int DEFAULT_NODES = 1;

  public TaskConfiguration {
    if (name != null) {
      RunFieldRules.runName(name);
    }
    commands =
        List.copyOf(RunFieldRules.commands(Objects.requireNonNull(commands, "commands is null")));
    RunFieldRules.checkShared(workingDir, shell, priority, maxPrice);
    env = env == null ? Environment.EMPTY : env;
    resources = resources == null ? ResourcesSpec.UNSPECIFIED : resources;
    ports = RunFieldRules.listOf(ports, Objects::requireNonNull);
    fleets = RunFieldRules.listOf(fleets, RunFieldRules::fleetReference);
    tags = RunFieldRules.tagsOf(tags);
    RunFieldRules.nodes(nodes);
    startupOrder = startupOrder == null ? StartupOrder.ANY : startupOrder;
    stopCriteria = stopCriteria == null ? StopCriteria.ALL_DONE : stopCriteria;
    backends = RunFieldRules.listOf(backends, RunFieldRules::backend);
    instanceTypes = RunFieldRules.listOf(instanceTypes, RunFieldRules::instanceType);
  }

  /** A task without a container, as before containers were read: its jobs run as processes. */
  public TaskConfiguration(
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
      Map<String, String> tags,
      int nodes,
      StartupOrder startupOrder,
      StopCriteria stopCriteria,
      boolean preemptible,
      List<String> backends,
      List<String> instanceTypes,
      Double maxPrice) {
    this(
        name,
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
        tags,
        nodes,
        startupOrder,
        stopCriteria,
        preemptible,
        backends,
        instanceTypes,
        maxPrice,
        null);
  }

  /**
   * A task with the fields of earlier versions; the multi-node, preemption and filter fields take
   * their defaults.
   */
  public TaskConfiguration(
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
      Map<String, String> tags) {
    this(
        name,
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
        tags,
        DEFAULT_NODES,
        null,
        null,
        false,
        null,
        null,
        null,
        null);
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

  /** Whether the jobs run in a container ({@code image} or {@code python} given). */
  public boolean hasContainer() {
    return container != null;
  }

  /** Whether the run has more than one job, so that it needs a fleet with cluster placement. */
  public boolean isMultiNode() {
    return nodes > 1;
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
        tags,
        nodes,
        startupOrder,
        stopCriteria,
        preemptible,
        backends,
        instanceTypes,
        maxPrice,
        container);
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
        tags,
        nodes,
        startupOrder,
        stopCriteria,
        preemptible,
        backends,
        instanceTypes,
        maxPrice,
        container);
  }
}
