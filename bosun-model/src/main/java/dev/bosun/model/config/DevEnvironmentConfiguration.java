package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code type: dev-environment} configuration, as in dstack: one job on one host (or in a
 * container there) that runs its {@code init} commands once and then stays up until it is stopped,
 * its {@code max_duration} passes or nobody has been connected over SSH for {@code
 * inactivity_duration}. Users work in it over SSH: a shell, or an IDE connected to it.
 *
 * @param name the run name, or null for a server-chosen name
 * @param ide the IDE the environment is for, one of {@link #IDES}; null for none
 * @param version the version of the IDE, as written; null when not given. dstack pre-installs that
 *     build of the VS Code server; in Bosun the IDE installs its own server over SSH when it
 *     connects, so the value is accepted and only kept
 * @param init the shell commands run once when the environment starts, none blank; empty for none
 * @param env environment variables; {@link Environment#EMPTY} when none
 * @param workingDir the directory the commands and SSH sessions start in, or null
 * @param shell {@code sh}, {@code bash}, an absolute path, or null
 * @param resources the resources of the host; {@link ResourcesSpec#UNSPECIFIED} when not given
 * @param priority queue priority 0..100, or null
 * @param retry when to resubmit, or null when not given
 * @param maxDuration {@code max_duration}, or null when not given
 * @param stopDuration {@code stop_duration}, or null when not given
 * @param inactivityDuration {@code inactivity_duration}: how long the environment may go without an
 *     SSH session before it is stopped, {@link TimeLimit#OFF} for never; null when not given (or
 *     given as {@code true}, dstack's "the default"). The server may enforce a minimum
 * @param ports ports forwarded to the submitter's machine
 * @param fleets fleets the run may use; empty for any
 * @param tags labels, in file order
 * @param preemptible whether the run may be stopped to make room for a waiting run of higher
 *     priority, and then re-queued; false when not given
 * @param backends the backends the run may use, lower-case names; empty for any
 * @param instanceTypes the instance types the run may use; empty for any
 * @param maxPrice the most the run may cost per hour of its host, in dollars; null for no limit
 * @param container the container the job runs in, from {@code image}, {@code python} and the fields
 *     that go with them; null when none of them is given, and the job runs as a process on the host
 */
public record DevEnvironmentConfiguration(
    String name,
    String ide,
    String version,
    List<String> init,
    Environment env,
    String workingDir,
    String shell,
    ResourcesSpec resources,
    Integer priority,
    RetryPolicy retry,
    TimeLimit maxDuration,
    TimeLimit stopDuration,
    TimeLimit inactivityDuration,
    List<PortMapping> ports,
    List<String> fleets,
    Map<String, String> tags,
    boolean preemptible,
    List<String> backends,
    List<String> instanceTypes,
    Double maxPrice,
    ContainerConfig container)
    implements RunConfiguration {
  /** The {@code type} value of dev environment files. */
  public static final String TYPE = "dev-environment";

  /** The values {@code ide} may take, as dstack names them. */
  public static final List<String> IDES = List.of("vscode", "cursor", "windsurf");

  /**
   * The command that keeps the environment's job running after {@code init} until it is stopped. It
   * is plain POSIX shell, so {@code sh} (dash, busybox) and {@code bash} run it alike, and it
   * spends no CPU: the job's shell waits on {@code sleep}, and stopping the job signals both.
   */
  public static final String KEEP_ALIVE = "while true; do sleep 3600; done";

  public DevEnvironmentConfiguration {
    if (name != null) {
      RunFieldRules.runName(name);
    }
    if (ide != null) {
      RunFieldRules.ide(ide);
    }
    if (version != null) {
      RunFieldRules.ideVersion(version);
    }
    init = RunFieldRules.listOf(init, RunFieldRules::command);
    RunFieldRules.checkShared(workingDir, shell, priority, maxPrice);
    env = env == null ? Environment.EMPTY : env;
    resources = resources == null ? ResourcesSpec.UNSPECIFIED : resources;
    ports = RunFieldRules.listOf(ports, Objects::requireNonNull);
    fleets = RunFieldRules.listOf(fleets, RunFieldRules::fleetReference);
    tags = RunFieldRules.tagsOf(tags);
    backends = RunFieldRules.listOf(backends, RunFieldRules::backend);
    instanceTypes = RunFieldRules.listOf(instanceTypes, RunFieldRules::instanceType);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** A dev environment has one job, so the order its jobs start in is {@link StartupOrder#ANY}. */
  @Override
  public StartupOrder startupOrder() {
    return StartupOrder.ANY;
  }

  /** A dev environment has one job: it is done when that job is, {@link StopCriteria#ALL_DONE}. */
  @Override
  public StopCriteria stopCriteria() {
    return StopCriteria.ALL_DONE;
  }

  /** Whether the job runs in a container ({@code image} or {@code python} given). */
  public boolean hasContainer() {
    return container != null;
  }

  /**
   * The commands of the environment's job: {@code init}, then {@link #KEEP_ALIVE}, which runs until
   * the job is stopped.
   */
  public List<String> jobCommands() {
    List<String> commands = new ArrayList<>(init);
    commands.add(KEEP_ALIVE);
    return List.copyOf(commands);
  }

  @Override
  public DevEnvironmentConfiguration withName(String newName) {
    return with(newName, env);
  }

  @Override
  public DevEnvironmentConfiguration withEnv(Environment newEnv) {
    return with(name, newEnv);
  }

  private DevEnvironmentConfiguration with(String newName, Environment newEnv) {
    return new DevEnvironmentConfiguration(
        newName,
        ide,
        version,
        init,
        newEnv,
        workingDir,
        shell,
        resources,
        priority,
        retry,
        maxDuration,
        stopDuration,
        inactivityDuration,
        ports,
        fleets,
        tags,
        preemptible,
        backends,
        instanceTypes,
        maxPrice,
        container);
  }
}
