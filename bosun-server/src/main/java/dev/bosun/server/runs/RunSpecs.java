package dev.bosun.server.runs;

import dev.bosun.api.ApplyRequest;
import dev.bosun.model.config.ConfigurationParser;
import dev.bosun.model.config.DevEnvironmentConfiguration;
import dev.bosun.model.config.Environment;
import dev.bosun.model.config.PortMapping;
import dev.bosun.model.config.RetryEvent;
import dev.bosun.model.config.RetryPolicy;
import dev.bosun.model.config.RunConfiguration;
import dev.bosun.model.config.ServiceConfiguration;
import dev.bosun.model.config.TaskConfiguration;
import dev.bosun.model.config.TimeLimit;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.store.RunRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Parses configurations into {@link RunSpec}s and keeps them by run id, so the scheduler never
 * re-reads YAML on its hot path; after a restart each run's stored YAML is parsed once on first
 * use.
 */
public final class RunSpecs {
  static final java.time.Duration DEFAULT_RETRY_DURATION = java.time.Duration.ofHours(1);

  private final Map<String, RunSpec> byRun = new ConcurrentHashMap<>();
  private final String pythonImage;
  private final java.time.Duration minInactivity;

  /**
   * Specs whose {@code python} runs use {@link
   * dev.bosun.server.ServerOptions#DEFAULT_PYTHON_IMAGE}.
   */
  public RunSpecs() {
    this(dev.bosun.server.ServerOptions.DEFAULT_PYTHON_IMAGE);
  }

  /**
   * @param pythonImage the image of runs that give {@code python} and no {@code image}; {@code
   *     {python}} in it becomes the version
   */
  public RunSpecs(String pythonImage) {
    this(pythonImage, dev.bosun.server.ServerOptions.DEFAULT_MIN_INACTIVITY);
  }

  /**
   * @param minInactivity the shortest {@code inactivity_duration} a submitted run may give
   */
  public RunSpecs(String pythonImage, java.time.Duration minInactivity) {
    this.pythonImage = pythonImage;
    this.minInactivity = minInactivity;
  }

  /**
   * Parses a configuration being submitted (or planned) and checks it against this server's policy:
   * an {@code inactivity_duration} no shorter than the minimum. Stored runs are parsed with {@link
   * #of} and are not checked again.
   */
  public RunSpec submitted(ApplyRequest request) {
    RunSpec spec = parse(request);
    if (spec.inactivityDuration() != null
        && spec.inactivityDuration().compareTo(minInactivity) < 0) {
      throw new BosunException(
          ErrorCode.INVALID_CONFIGURATION,
          (request.fileName() == null ? "configuration" : request.fileName())
              + ": inactivity_duration: "
              + dev.bosun.model.config.DurationGrammar.format(spec.inactivityDuration())
              + " is below this server's minimum of "
              + dev.bosun.model.config.DurationGrammar.format(minInactivity)
              + "; give at least that, or off to keep the environment up until it is stopped");
    }
    return spec;
  }

  /**
   * Parses a submitted configuration; bad files become one {@link BosunException} listing every
   * error.
   */
  public RunSpec parse(ApplyRequest request) {
    if (request.configuration() == null || request.configuration().isBlank()) {
      throw new BosunException(
          ErrorCode.INVALID_CONFIGURATION,
          (request.fileName() == null ? "the configuration" : request.fileName())
              + " is empty; a run needs at least 'type: task' and 'commands'");
    }
    String fileName = request.fileName() == null ? "configuration" : request.fileName();
    RunConfiguration configuration = ConfigurationParser.parse(request.configuration(), fileName);
    return switch (configuration) {
      case TaskConfiguration task -> fromTask(task, request.clientEnv(), fileName);
      case ServiceConfiguration service -> fromService(service, request.clientEnv(), fileName);
      case DevEnvironmentConfiguration dev ->
          fromDevEnvironment(dev, request.clientEnv(), fileName);
    };
  }

  public RunSpec of(RunRecord run) {
    return byRun.computeIfAbsent(
        run.id(),
        id -> parse(new ApplyRequest(run.configuration(), run.fileName(), run.clientEnv(), null)));
  }

  /** The run's spec, loading the run (only on a cache miss) to parse its stored YAML. */
  public RunSpec of(String runId, java.util.function.Supplier<RunRecord> run) {
    RunSpec cached = byRun.get(runId);
    return cached != null ? cached : of(run.get());
  }

  public void remember(String runId, RunSpec spec) {
    byRun.put(runId, spec);
  }

  public void forget(String runId) {
    byRun.remove(runId);
  }

  private RunSpec fromTask(TaskConfiguration task, Map<String, String> clientEnv, String fileName) {
    return spec(task, clientEnv, fileName, task.commands(), task.nodes(), null, null, null);
  }

  /**
   * A service's spec: its commands, one node per replica, and the service's own fields in {@link
   * RunSpec#service}. Nothing runs it yet; {@link #submitted} refuses it.
   */
  private RunSpec fromService(
      ServiceConfiguration service, Map<String, String> clientEnv, String fileName) {
    return spec(service, clientEnv, fileName, service.commands(), 1, null, null, service);
  }

  /**
   * A dev environment is one job that runs {@code init} and then stays up ({@link
   * DevEnvironmentConfiguration#jobCommands}) until it is stopped.
   */
  private RunSpec fromDevEnvironment(
      DevEnvironmentConfiguration dev, Map<String, String> clientEnv, String fileName) {
    return spec(
        dev,
        clientEnv,
        fileName,
        dev.jobCommands(),
        1,
        limit(dev.inactivityDuration(), null),
        dev.ide(),
        null);
  }

  /**
   * The spec of any run: its env resolved, retries and limits given their defaults; {@code service}
   * is the configuration of a service, null for other runs.
   */
  private RunSpec spec(
      RunConfiguration run,
      Map<String, String> clientEnv,
      String fileName,
      List<String> commands,
      int nodes,
      java.time.Duration inactivityDuration,
      String ide,
      ServiceConfiguration service) {
    Environment env;
    try {
      env = run.env().resolve(clientEnv::get);
    } catch (IllegalArgumentException e) {
      throw new BosunException(
          ErrorCode.INVALID_CONFIGURATION, fileName + ": env: " + e.getMessage());
    }
    RetryPolicy retry = run.retry() == null ? RetryPolicy.NEVER : run.retry();
    // Without a duration, retries stop an hour after submission (as dstack does), so a command
    // that always fails cannot loop for ever.
    java.time.Duration retryFor =
        retry.duration() == null ? DEFAULT_RETRY_DURATION : retry.duration();
    Set<String> retryOn =
        retry.onEvents().stream().map(RetryEvent::yamlName).collect(Collectors.toSet());
    return new RunSpec(
        run.type(),
        run.name(),
        commands,
        env.values(),
        run.workingDir(),
        run.resources(),
        run.priority() == null ? 0 : run.priority(),
        retryOn,
        retryFor,
        limit(run.maxDuration(), null),
        limit(run.stopDuration(), RunSpec.DEFAULT_STOP_DURATION),
        run.ports().stream().map(PortMapping::toString).toList(),
        run.shell(),
        run.fleets(),
        nodes,
        run.startupOrder(),
        run.stopCriteria(),
        run.preemptible(),
        run.backends(),
        run.container(),
        run.container() == null
            ? null
            : run.container().image() != null
                ? run.container().image()
                : pythonImage.replace("{python}", run.container().python()),
        inactivityDuration,
        ide,
        service);
  }

  private static java.time.Duration limit(TimeLimit limit, java.time.Duration fallback) {
    if (limit == null) {
      return fallback;
    }
    if (limit.isOff()) {
      // max_duration: off means no limit; stop_duration: off means wait for the job however long it
      // takes
      return fallback == null ? null : UNLIMITED_GRACE;
    }
    return limit.duration();
  }

  private static final java.time.Duration UNLIMITED_GRACE = java.time.Duration.ofDays(3650);
}
