package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.List;
import java.util.Map;

/**
 * What a user submits from a configuration file: a task ({@link TaskConfiguration}), a service
 * ({@link ServiceConfiguration}) or a dev environment ({@link DevEnvironmentConfiguration}). The
 * fields here are the ones every run type shares. A field the file leaves out is null (or empty,
 * for collections), never a default: defaults belong to the server, which may be configured. The
 * exceptions are fields whose default the format fixes ({@code startup_order}, {@code
 * stop_criteria}, {@code preemptible}): they hold that default, and a dev environment or a service,
 * which has no multi-node jobs, always holds it.
 */
public sealed interface RunConfiguration extends Configuration
    permits TaskConfiguration, ServiceConfiguration, DevEnvironmentConfiguration {
  /** The {@code type} of the file: {@code task}, {@code service} or {@code dev-environment}. */
  @Override
  String type();

  /** The run name, or null for a server-chosen name. */
  @Override
  String name();

  /** The environment variables, some of which may wait for the submitter's values. */
  Environment env();

  /** The directory the commands start in, or null. */
  String workingDir();

  /** {@code sh}, {@code bash}, an absolute path, or null. */
  String shell();

  /** The resources; {@link ResourcesSpec#UNSPECIFIED} when the file has no {@code resources}. */
  ResourcesSpec resources();

  /** Queue priority 0..100, or null. */
  Integer priority();

  /** When to resubmit the run, or null when the file does not say. */
  RetryPolicy retry();

  /** {@code max_duration}, or null when the file does not say. */
  TimeLimit maxDuration();

  /** {@code stop_duration}, or null when the file does not say. */
  TimeLimit stopDuration();

  /** The ports forwarded to the submitter's machine; empty for none (always, for a service). */
  List<PortMapping> ports();

  /**
   * The container the jobs run in, from {@code image}, {@code python} and the fields that go with
   * them; null when the file gives none of them, and the jobs run as processes on the host.
   */
  ContainerConfig container();

  /** The fleets the run may use; empty for any. */
  List<String> fleets();

  /** The order the jobs of a multi-node run start in; {@link StartupOrder#ANY} by default. */
  StartupOrder startupOrder();

  /** When a multi-node run is done; {@link StopCriteria#ALL_DONE} by default. */
  StopCriteria stopCriteria();

  /**
   * Whether the run may be stopped to make room for a waiting run of higher priority, and is then
   * re-queued; false by default.
   */
  boolean preemptible();

  /** The backends the run may use, such as {@code local} or {@code ssh}; empty for any. */
  List<String> backends();

  /** The instance types the run may use; empty for any. */
  List<String> instanceTypes();

  /** The most the run may cost per hour of each host, in dollars, or null for no limit. */
  Double maxPrice();

  /** Labels of the run, in file order. */
  Map<String, String> tags();

  /** The same configuration with another name, as {@code bosun apply -n NAME} needs. */
  RunConfiguration withName(String name);

  /**
   * The same configuration with another environment, such as {@link Environment#resolve}'s result.
   */
  RunConfiguration withEnv(Environment env);
}
