package dev.bosun.server.runs;

import dev.bosun.api.ApplyRequest;
import dev.bosun.api.RunInfo;
import dev.bosun.api.RunPlan;
import dev.bosun.api.agent.AgentException;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.model.state.RunStatus;
import dev.bosun.scheduler.Placement;
import dev.bosun.scheduler.Preview;
import dev.bosun.scheduler.Unplaceable;
import dev.bosun.scheduler.Waiting;
import dev.bosun.server.RunEvents;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.server.scheduling.SchedulingLoop;
import dev.bosun.store.DuplicateActiveRunException;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import dev.bosun.store.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Submitting, previewing, listing, stopping and deleting runs. */
public final class RunService {
  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final Store store;
  private final RunSpecs specs;
  private final RunLifecycle lifecycle;
  private final RunEvents events;
  private final SchedulingLoop scheduling;
  private final AgentConnections connections;
  private final InstantSource clock;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final RunStops stops;
  private volatile ReplicaReadiness readiness = ReplicaReadiness.UNKNOWN;

  public RunService(
      Store store,
      RunSpecs specs,
      RunLifecycle lifecycle,
      RunEvents events,
      SchedulingLoop scheduling,
      AgentConnections connections,
      InstantSource clock) {
    this.store = store;
    this.specs = specs;
    this.lifecycle = lifecycle;
    this.events = events;
    this.scheduling = scheduling;
    this.connections = connections;
    this.clock = clock;
    this.stops = new RunStops(store, specs, lifecycle, connections);
  }

  public RunPlan plan(ProjectRecord project, UserRecord user, ApplyRequest request) {
    RunSpec spec = specs.submitted(request);
    String name = spec.name() == null ? RunNames.generate(random) : spec.name();
    Map<String, InstanceRecord> instances = instancesById();
    var planned = scheduling.preview(project.id(), user.id(), spec, name);
    Preview preview = planned.preview();
    Optional<RunRecord> active =
        store.run(project.id(), name).filter(run -> !run.status().isFinished());
    String update = active.map(run -> update(run, spec, request)).orElse(null);
    String existing = active.map(run -> run.status().wireName()).orElse(null);
    Optional<Placement> placement = preview.placement();
    String waitReason = null;
    Instant estimate = null;
    boolean neverFits = false;
    if (preview.outcome() instanceof Waiting waiting) {
      waitReason = waiting.reason();
      estimate = waiting.estimatedStart();
    } else if (preview.outcome() instanceof Unplaceable unplaceable) {
      List<String> starting =
          instances.values().stream()
              .filter(
                  i ->
                      i.projectId().equals(project.id())
                          && !i.status().canRunJobs()
                          && i.fleetStatus() == dev.bosun.model.state.FleetStatus.ACTIVE
                          && i.status() != dev.bosun.model.state.InstanceStatus.TERMINATED)
              .map(InstanceRecord::name)
              .toList();
      if (starting.isEmpty()) {
        waitReason = unplaceable.reason();
        neverFits = true;
      } else {
        waitReason =
            "instance "
                + String.join(", ", starting)
                + " is not ready yet (its agent is starting or "
                + "unreachable)";
      }
    }
    InstanceRecord instance = placement.map(p -> instances.get(p.instanceId())).orElse(null);
    return new RunPlan(
        project.name(),
        name,
        spec.type(),
        RunViews.describe(spec),
        spec.ports(),
        planned.fleetName(),
        instance == null ? null : instance.name(),
        placement.map(RunService::allocation).orElse(null),
        waitReason,
        estimate,
        neverFits,
        existing,
        planned.queuePosition(),
        update);
  }

  private static String allocation(Placement placement) {
    String text =
        placement.cpus() + " CPU, " + new dev.bosun.model.resources.Memory(placement.memoryMb());
    if (!placement.gpuIndices().isEmpty()) {
      text +=
          ", GPU "
              + placement.gpuIndices().stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining(","));
    }
    return text;
  }

  public RunInfo apply(ProjectRecord project, UserRecord user, ApplyRequest request) {
    RunSpec spec = specs.submitted(request);
    String name =
        spec.name() != null
            ? spec.name()
            : request.name() != null ? validName(request.name()) : RunNames.generate(random);
    Optional<RunRecord> existing =
        store.run(project.id(), name).filter(run -> !run.status().isFinished());
    if (existing.isPresent()) {
      if (update(existing.get(), spec, request) == null) {
        throw alreadyActive(name, existing.get().status());
      }
      return redeploy(project, existing.get(), spec, request);
    }
    if (spec.isService() && spec.service().model() != null) {
      modelNotServed(project, spec.service().model().name(), request, null);
    }
    Instant now = clock.instant();
    String runId = UUID.randomUUID().toString();
    // A service that may scale to zero starts with none: it runs, and its first request scales it.
    boolean idle = spec.jobsAtStart() == 0;
    RunRecord submitted =
        new RunRecord(
            runId,
            project.id(),
            project.name(),
            user.id(),
            user.name(),
            name,
            spec.type(),
            RunStatus.SUBMITTED,
            request.configuration(),
            request.fileName(),
            request.clientEnv(),
            spec.priority(),
            now,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            0);
    RunRecord run = idle ? submitted.withStatus(RunStatus.RUNNING).withStarted(now) : submitted;
    try {
      List<JobRecord> jobs = new java.util.ArrayList<>(spec.jobsAtStart());
      for (int node = 0; node < spec.jobsAtStart(); node++) {
        jobs.add(JobRecord.submitted(UUID.randomUUID().toString(), runId, node, 0, now));
      }
      store.insertRun(run, jobs);
    } catch (DuplicateActiveRunException e) {
      throw alreadyActive(name, RunStatus.SUBMITTED);
    }
    specs.remember(runId, spec);
    LOG.info("run {}: submitted by {} in project {}", name, user.name(), project.name());
    scheduling.wake();
    events.changed();
    return get(project, name);
  }

  /**
   * What applying {@code spec} does to the active run of the same name: {@link RunPlan#UNCHANGED}
   * for a service applied again as it is, {@link RunPlan#ROLLING} for a service whose configuration
   * changed (its replicas are replaced one at a time); null when it cannot be applied over it (any
   * other run).
   */
  static String update(RunRecord existing, RunSpec spec, ApplyRequest request) {
    if (!spec.isService() || !RunSpec.SERVICE.equals(existing.type())) {
      return null;
    }
    boolean same =
        existing.configuration().equals(request.configuration())
            && java.util.Objects.equals(existing.clientEnv(), request.clientEnv());
    return same ? RunPlan.UNCHANGED : RunPlan.ROLLING;
  }

  /**
   * Applies a service's configuration over its active run: nothing when it is unchanged, else a new
   * deployment whose replicas replace the old ones one at a time (see {@code Rollout}).
   */
  private synchronized RunInfo redeploy(
      ProjectRecord project, RunRecord seen, RunSpec spec, ApplyRequest request) {
    // One re-apply at a time, each over the run as it is by then: two at once get two deployments.
    RunRecord existing = store.runById(seen.id()).orElse(seen);
    if (existing.status().isFinished()) {
      throw new BosunException(
          ErrorCode.RUN_NOT_ACTIVE,
          "service " + existing.name() + " has just ended; apply it again to start it anew");
    }
    if (RunPlan.UNCHANGED.equals(update(existing, spec, request))) {
      LOG.info("run {}: applied again unchanged; nothing to do", existing.name());
      return view(existing);
    }
    if (existing.stopRequest() != null || existing.status() == RunStatus.TERMINATING) {
      throw alreadyActive(existing.name(), existing.status());
    }
    if (spec.service().model() != null) {
      modelNotServed(project, spec.service().model().name(), request, existing.name());
    }
    RunRecord updated =
        existing.redeployed(request.configuration(), request.fileName(), request.clientEnv());
    store.write(w -> w.saveConfiguration(updated));
    specs.remember(existing.id(), spec);
    LOG.info(
        "run {}: configuration changed; rolling to deployment {}",
        existing.name(),
        updated.deploymentNum());
    scheduling.wake();
    events.changed();
    return get(project, existing.name());
  }

  /** One model name routes to one service of the project: a second one is refused. */
  private void modelNotServed(
      ProjectRecord project, String model, ApplyRequest request, String except) {
    for (RunRecord other : store.runs(project.id(), false)) {
      if (other.name().equals(except)) {
        continue;
      }
      RunSpec spec;
      try {
        spec = specs.of(other);
      } catch (RuntimeException e) {
        continue;
      }
      if (spec.isService()
          && spec.service().model() != null
          && spec.service().model().name().equals(model)) {
        throw new BosunException(
            ErrorCode.INVALID_CONFIGURATION,
            (request.fileName() == null ? "configuration" : request.fileName())
                + ": model: '"
                + model
                + "' is served by service "
                + other.name()
                + " already, and requests are routed by model name; stop "
                + other.name()
                + " or give this service another model name");
      }
    }
  }

  private static String validName(String name) {
    if (!name.matches("[a-z][a-z0-9-]{1,40}")) {
      throw new BosunException(
          ErrorCode.INVALID_REQUEST,
          "invalid run name '"
              + name
              + "': use 2-41 lower-case letters, digits and '-', starting with a letter");
    }
    return name;
  }

  private static BosunException alreadyActive(String name, RunStatus status) {
    return new BosunException(
        ErrorCode.RUN_ALREADY_ACTIVE,
        "a run named '"
            + name
            + "' is already "
            + status.wireName()
            + "; stop it with 'bosun stop "
            + name
            + "' or give this run another name");
  }

  public RunInfo get(ProjectRecord project, String name) {
    return view(require(project, name));
  }

  /** Waits up to {@code wait} for the run to finish, then returns it. */
  public RunInfo awaitFinished(ProjectRecord project, String name, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + min(wait).toNanos();
    while (true) {
      long seen = events.version();
      RunRecord run = require(project, name);
      if (run.status().isFinished() || System.nanoTime() >= deadline) {
        return view(run);
      }
      events.awaitAfter(seen, deadline);
    }
  }

  public List<RunInfo> list(ProjectRecord project, boolean all) {
    Map<String, InstanceRecord> instances = instancesById();
    return store.runs(project.id(), all).stream().map(run -> view(run, instances)).toList();
  }

  public RunInfo stop(ProjectRecord project, String name, boolean abort) {
    stops.stop(require(project, name), abort);
    return get(project, name);
  }

  /** How runs and jobs are stopped through their agents. */
  public RunStops stops() {
    return stops;
  }

  public void delete(ProjectRecord project, String name) {
    RunRecord run = require(project, name);
    if (!run.status().isFinished()) {
      throw new BosunException(
          ErrorCode.RUN_STILL_ACTIVE,
          "run '"
              + name
              + "' is "
              + run.status().wireName()
              + "; stop it first with 'bosun stop "
              + name
              + "'");
    }
    for (JobRecord job : store.jobs(run.id())) {
      if (job.instanceId() != null) {
        connections
            .client(job.instanceId())
            .ifPresent(
                client -> {
                  try {
                    client.delete(job.id());
                  } catch (AgentException e) {
                    LOG.warn(
                        "run {}: could not remove job {} from its host: {}",
                        name,
                        job.id(),
                        e.getMessage());
                  }
                });
      }
    }
    store.deleteRun(run.id());
    specs.forget(run.id());
    events.changed();
  }

  RunRecord require(ProjectRecord project, String name) {
    return store
        .run(project.id(), name)
        .orElseThrow(
            () ->
                new BosunException(
                    ErrorCode.RUN_NOT_FOUND,
                    "project '"
                        + project.name()
                        + "' has no run named '"
                        + name
                        + "'; 'bosun ps -a' lists its runs"));
  }

  /** Where the views of services learn which replicas are ready. */
  public void onReadiness(ReplicaReadiness readiness) {
    this.readiness = readiness;
  }

  private RunInfo view(RunRecord run) {
    return view(run, instancesById());
  }

  private RunInfo view(RunRecord run, Map<String, InstanceRecord> instances) {
    return RunViews.info(
        run,
        specs.of(run),
        store.jobs(run.id()),
        scheduling.waitingReason(run.id()),
        scheduling.queuePosition(run.id()),
        instances,
        readiness);
  }

  private Map<String, InstanceRecord> instancesById() {
    return store.instances().stream()
        .collect(Collectors.toMap(InstanceRecord::id, Function.identity()));
  }

  static Duration min(Duration wait) {
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.isNegative() ? Duration.ZERO : wait;
  }
}
