package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code type: service} configuration, as in dstack: {@code replicas} copies of an HTTP server
 * (vLLM, TGI, your own) started by {@code commands} and listening on {@code port}, which the
 * server's proxy puts behind one URL, checks with {@code probes}, scales with {@code scaling},
 * limits with {@code rate_limits} and, with {@code model}, exposes through an OpenAI-compatible
 * endpoint. This version reads and checks service files; the server does not run them yet.
 *
 * @param name the run name, or null for a server-chosen name
 * @param commands the shell commands that start the server, at least one, none blank
 * @param port the port the replicas listen on, 1 to 65535
 * @param publicPort the first port of dstack's {@code port: "80:8000"} form, where dstack's gateway
 *     served the service; null when {@code port} is one number. Bosun's proxy serves every service
 *     under its own URL, so it is only kept
 * @param replicas how many replicas run; {@link ReplicaRange#ONE} when null
 * @param scaling how the count moves within a range of replicas; null for a fixed count, which is
 *     exactly when {@code replicas} is fixed
 * @param probes the readiness probes of each replica, at most 10; empty for none
 * @param auth whether requests through the proxy need a Bosun token; true when not given
 * @param model the model served through the OpenAI-compatible endpoint; null for none
 * @param rateLimits the rate limits of the proxy, no two with the same prefix and key; empty for
 *     none
 * @param stripPrefix whether the proxy removes {@code /proxy/services/<project>/<run>} from the
 *     path before passing a request on; true when not given
 * @param env environment variables; {@link Environment#EMPTY} when none
 * @param workingDir the directory the commands start in, or null
 * @param shell {@code sh}, {@code bash}, an absolute path, or null
 * @param resources the resources of each replica's host; {@link ResourcesSpec#UNSPECIFIED} when not
 *     given
 * @param priority queue priority 0..100, or null
 * @param retry when to resubmit, or null when not given
 * @param maxDuration {@code max_duration}, or null when not given
 * @param stopDuration {@code stop_duration}, or null when not given
 * @param fleets fleets the run may use; empty for any
 * @param tags labels, in file order
 * @param preemptible whether the run may be stopped to make room for a waiting run of higher
 *     priority, and then re-queued; false when not given
 * @param backends the backends the run may use, lower-case names; empty for any
 * @param instanceTypes the instance types the run may use; empty for any
 * @param maxPrice the most the run may cost per hour of each host, in dollars; null for no limit
 * @param container the container the replicas run in, from {@code image}, {@code python} and the
 *     fields that go with them; null when none of them is given, and they run as processes on the
 *     host
 */
public record ServiceConfiguration(
    String name,
    List<String> commands,
    int port,
    Integer publicPort,
    ReplicaRange replicas,
    ScalingSpec scaling,
    List<ProbeSpec> probes,
    boolean auth,
    ModelSpec model,
    List<RateLimitSpec> rateLimits,
    boolean stripPrefix,
    Environment env,
    String workingDir,
    String shell,
    ResourcesSpec resources,
    Integer priority,
    RetryPolicy retry,
    TimeLimit maxDuration,
    TimeLimit stopDuration,
    List<String> fleets,
    Map<String, String> tags,
    boolean preemptible,
    List<String> backends,
    List<String> instanceTypes,
    Double maxPrice,
    ContainerConfig container)
    implements RunConfiguration {
  /** The {@code type} value of service files. */
  public static final String TYPE = "service";

  /** The most probes a service may have. */
  public static final int MAX_PROBES = ServiceFieldRules.MAX_PROBES;

  public ServiceConfiguration {
    if (name != null) {
      RunFieldRules.runName(name);
    }
    commands =
        List.copyOf(RunFieldRules.commands(Objects.requireNonNull(commands, "commands is null")));
    ServiceFieldRules.port(port);
    if (publicPort != null) {
      ServiceFieldRules.port(publicPort);
    }
    ServiceFieldRules.scaling(
        replicas == null ? ReplicaRange.ONE : replicas, replicas != null, scaling);
    replicas = replicas == null ? ReplicaRange.ONE : replicas;
    probes = RunFieldRules.listOf(probes, Objects::requireNonNull);
    ServiceFieldRules.probeCount(probes.size());
    rateLimits = RunFieldRules.listOf(rateLimits, Objects::requireNonNull);
    ServiceFieldRules.rateLimits(rateLimits);
    RunFieldRules.checkShared(workingDir, shell, priority, maxPrice);
    env = env == null ? Environment.EMPTY : env;
    resources = resources == null ? ResourcesSpec.UNSPECIFIED : resources;
    fleets = RunFieldRules.listOf(fleets, RunFieldRules::fleetReference);
    tags = RunFieldRules.tagsOf(tags);
    backends = RunFieldRules.listOf(backends, RunFieldRules::backend);
    instanceTypes = RunFieldRules.listOf(instanceTypes, RunFieldRules::instanceType);
  }

  /**
   * A service that runs {@code commands} on {@code port}, one replica, every other field left out
   * (or at its default).
   */
  public static ServiceConfiguration of(List<String> commands, int port) {
    return new ServiceConfiguration(
        null, commands, port, null, null, null, null, true, null, null, true, null, null, null,
        null, null, null, null, null, null, null, false, null, null, null, null);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * None: a service is reached through the server's proxy on {@link #port}, not through ports
   * forwarded to the submitter's machine.
   */
  @Override
  public List<PortMapping> ports() {
    return List.of();
  }

  /**
   * A service's replicas start independently, so in no particular order: {@link StartupOrder#ANY}.
   */
  @Override
  public StartupOrder startupOrder() {
    return StartupOrder.ANY;
  }

  /**
   * A service runs until it is stopped; its replicas are not a gang: {@link StopCriteria#ALL_DONE}.
   */
  @Override
  public StopCriteria stopCriteria() {
    return StopCriteria.ALL_DONE;
  }

  /** Whether the replicas run in a container ({@code image} or {@code python} given). */
  public boolean hasContainer() {
    return container != null;
  }

  /** Whether {@code scaling} moves the number of replicas within a range. */
  public boolean isAutoscaled() {
    return scaling != null;
  }

  /** {@code port} as written: {@code 8000}, or {@code 80:8000} when dstack's mapping was given. */
  public String portAsWritten() {
    return publicPort == null ? Integer.toString(port) : publicPort + ":" + port;
  }

  @Override
  public ServiceConfiguration withName(String newName) {
    return with(newName, env);
  }

  @Override
  public ServiceConfiguration withEnv(Environment newEnv) {
    return with(name, newEnv);
  }

  private ServiceConfiguration with(String newName, Environment newEnv) {
    return new ServiceConfiguration(
        newName,
        commands,
        port,
        publicPort,
        replicas,
        scaling,
        probes,
        auth,
        model,
        rateLimits,
        stripPrefix,
        newEnv,
        workingDir,
        shell,
        resources,
        priority,
        retry,
        maxDuration,
        stopDuration,
        fleets,
        tags,
        preemptible,
        backends,
        instanceTypes,
        maxPrice,
        container);
  }
}
