package dev.bosun.server.runs;

import dev.bosun.model.resources.ResourcesSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the server needs of a run's configuration, resolved once: env entries without a value filled
 * from the submitter's environment, defaults for durations applied.
 *
 * @param retryOn the events that retry the run ({@code no-capacity}, {@code interruption}, {@code
 *     error}); empty for none
 * @param retryDuration how long after submission retries may happen; null for no limit
 * @param maxDuration null for no limit
 * @param nodes how many jobs the run has, one per host (a multi-node run when more than one)
 * @param startupOrder in which order a multi-node run's jobs start
 * @param stopCriteria when a multi-node run ends
 * @param preemptible whether a waiting run of higher priority may stop it
 * @param backends the kinds of fleet ({@code local}, {@code ssh}) the run may use; empty for any
 * @param container the container fields as written, or null for a run of processes
 * @param image the image its jobs run in ({@code python} resolved to the server's image), or null
 *     for a run of processes
 * @param inactivityDuration how long a dev environment may go without an SSH session before it is
 *     stopped; null for no limit (off, not given, or a task)
 * @param ide the IDE of a dev environment ({@code vscode}, {@code cursor}, {@code windsurf}); null
 *     for none
 * @param service the configuration of a service as parsed (its port, replicas, scaling, probes,
 *     model and proxy settings); null for other run types. This server does not run services yet:
 *     {@link RunSpecs#submitted} refuses them, while {@link RunSpecs#parse} builds their spec
 */
public record RunSpec(
    String type,
    String name,
    List<String> commands,
    Map<String, String> env,
    String workingDir,
    ResourcesSpec resources,
    int priority,
    Set<String> retryOn,
    Duration retryDuration,
    Duration maxDuration,
    Duration stopDuration,
    List<String> ports,
    String shell,
    List<String> fleets,
    int nodes,
    dev.bosun.model.config.StartupOrder startupOrder,
    dev.bosun.model.config.StopCriteria stopCriteria,
    boolean preemptible,
    List<String> backends,
    dev.bosun.model.config.ContainerConfig container,
    String image,
    Duration inactivityDuration,
    String ide,
    dev.bosun.model.config.ServiceConfiguration service) {
  public static final Duration DEFAULT_STOP_DURATION = Duration.ofMinutes(5);

  /** The {@link #type} of a task's spec. */
  public static final String TASK = dev.bosun.model.config.TaskConfiguration.TYPE;

  /** The {@link #type} of a dev environment's spec. */
  public static final String DEV_ENVIRONMENT =
      dev.bosun.model.config.DevEnvironmentConfiguration.TYPE;

  /** The {@link #type} of a service's spec. */
  public static final String SERVICE = dev.bosun.model.config.ServiceConfiguration.TYPE;

  /** A run that is not a service: a task's or a dev environment's. */
  public RunSpec(
      String type,
      String name,
      List<String> commands,
      Map<String, String> env,
      String workingDir,
      ResourcesSpec resources,
      int priority,
      Set<String> retryOn,
      Duration retryDuration,
      Duration maxDuration,
      Duration stopDuration,
      List<String> ports,
      String shell,
      List<String> fleets,
      int nodes,
      dev.bosun.model.config.StartupOrder startupOrder,
      dev.bosun.model.config.StopCriteria stopCriteria,
      boolean preemptible,
      List<String> backends,
      dev.bosun.model.config.ContainerConfig container,
      String image,
      Duration inactivityDuration,
      String ide) {
    this(
        type,
        name,
        commands,
        env,
        workingDir,
        resources,
        priority,
        retryOn,
        retryDuration,
        maxDuration,
        stopDuration,
        ports,
        shell,
        fleets,
        nodes,
        startupOrder,
        stopCriteria,
        preemptible,
        backends,
        container,
        image,
        inactivityDuration,
        ide,
        null);
  }

  /** A run without the fields of dev environments: a task's. */
  public RunSpec(
      String type,
      String name,
      List<String> commands,
      Map<String, String> env,
      String workingDir,
      ResourcesSpec resources,
      int priority,
      Set<String> retryOn,
      Duration retryDuration,
      Duration maxDuration,
      Duration stopDuration,
      List<String> ports,
      String shell,
      List<String> fleets,
      int nodes,
      dev.bosun.model.config.StartupOrder startupOrder,
      dev.bosun.model.config.StopCriteria stopCriteria,
      boolean preemptible,
      List<String> backends,
      dev.bosun.model.config.ContainerConfig container,
      String image) {
    this(
        type,
        name,
        commands,
        env,
        workingDir,
        resources,
        priority,
        retryOn,
        retryDuration,
        maxDuration,
        stopDuration,
        ports,
        shell,
        fleets,
        nodes,
        startupOrder,
        stopCriteria,
        preemptible,
        backends,
        container,
        image,
        null,
        null);
  }

  /** A run of processes. */
  public RunSpec(
      String type,
      String name,
      List<String> commands,
      Map<String, String> env,
      String workingDir,
      ResourcesSpec resources,
      int priority,
      Set<String> retryOn,
      Duration retryDuration,
      Duration maxDuration,
      Duration stopDuration,
      List<String> ports,
      String shell,
      List<String> fleets,
      int nodes,
      dev.bosun.model.config.StartupOrder startupOrder,
      dev.bosun.model.config.StopCriteria stopCriteria,
      boolean preemptible,
      List<String> backends) {
    this(
        type,
        name,
        commands,
        env,
        workingDir,
        resources,
        priority,
        retryOn,
        retryDuration,
        maxDuration,
        stopDuration,
        ports,
        shell,
        fleets,
        nodes,
        startupOrder,
        stopCriteria,
        preemptible,
        backends,
        null,
        null);
  }

  /** Whether it is a dev environment, whose one job stays up until it is stopped. */
  public boolean isDevEnvironment() {
    return DEV_ENVIRONMENT.equals(type);
  }

  /** Whether it is a service, whose {@link #service} holds the service's own fields. */
  public boolean isService() {
    return service != null;
  }

  /**
   * How many jobs a submission starts with: a service's replicas (each a job of its own, placed on
   * its own), else one per node.
   */
  public int jobsAtStart() {
    return service != null ? service.replicas().min() : nodes;
  }

  /** Whether its jobs run in containers. */
  public boolean inContainer() {
    return image != null;
  }

  /**
   * The ports a bridge container publishes on the host's loopback: {@code ports}, a service's port.
   */
  public List<Integer> containerPorts() {
    List<Integer> published =
        new java.util.ArrayList<>(
            ports.stream()
                .map(p -> Integer.parseInt(p.substring(p.lastIndexOf(':') + 1)))
                .toList());
    if (service != null && !published.contains(service.port())) {
      published.add(service.port());
    }
    return List.copyOf(published);
  }

  public boolean retriesOn(String event) {
    return retryOn.contains(event);
  }
}
