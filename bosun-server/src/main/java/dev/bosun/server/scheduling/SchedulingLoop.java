package dev.bosun.server.scheduling;

import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.scheduler.ClusterSnapshot;
import dev.bosun.scheduler.Placement;
import dev.bosun.scheduler.Plan;
import dev.bosun.scheduler.Scheduler;
import dev.bosun.scheduler.Unplaceable;
import dev.bosun.scheduler.Waiting;
import dev.bosun.server.RunEvents;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.CommitResult;
import dev.bosun.store.JobPlacement;
import dev.bosun.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pure scheduler on one thread whenever something that can change placement happens (a
 * submission, a job's end, a host coming up, a stop), commits the plan with verification and hands
 * committed jobs to the dispatcher. Wake-ups arriving during a pass coalesce into one more pass; a
 * slow sweep is only a safety net.
 */
public final class SchedulingLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulingLoop.class);
  private static final Duration SWEEP = Duration.ofSeconds(10);

  /**
   * Without events, a full pass every this many sweeps (60 s) — or at the next sweep once the clock
   * matters: a waiting run's no-capacity retry has run out, or an instance is still settling.
   */
  private static final int QUIET_SWEEPS = 6;

  private final Store store;
  private final RunSpecs specs;
  private final RunLifecycle lifecycle;
  private final RunEvents events;
  private final JobDispatcher dispatcher;
  private final java.util.Set<String> preempting =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile java.util.function.Consumer<String> preempter = runId -> {};
  private final InstantSource clock;
  private final Scheduler scheduler;
  private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
  private final SnapshotReader snapshots;
  private final Semaphore wakeups = new Semaphore(0);
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final Map<String, Integer> positions = new ConcurrentHashMap<>();

  /** An instance is still starting: runs that fit nothing else wait for it. */
  private volatile boolean settling;

  /** The earliest time a waiting run's no-capacity retry runs out, if any. */
  private volatile Instant nextDeadline;

  private int quietSweeps;
  private final Thread thread;
  private volatile boolean running = true;

  public SchedulingLoop(
      Store store,
      RunSpecs specs,
      RunLifecycle lifecycle,
      RunEvents events,
      JobDispatcher dispatcher,
      InstantSource clock,
      dev.bosun.scheduler.SchedulerOptions options) {
    this.scheduler = new Scheduler(options);
    this.store = store;
    this.specs = specs;
    this.lifecycle = lifecycle;
    this.events = events;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.snapshots = new SnapshotReader(store, specs, clock);
    this.thread = Thread.ofPlatform().name("bosun-scheduler").daemon().unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  /** Asks for a scheduling pass; cheap and safe to call from anywhere. */
  public void wake() {
    if (wakeups.availablePermits() == 0) {
      wakeups.release();
    }
  }

  /** A waiting run's place in its project's queue, as of the last pass (1 is next). */
  public Integer queuePosition(String runId) {
    return positions.get(runId);
  }

  /** Why a queued run waits, as of the last pass. */
  public Optional<Waiting> waitingReason(String runId) {
    return Optional.ofNullable(waiting.get(runId));
  }

  private void loop() {
    while (running) {
      try {
        boolean woken = wakeups.tryAcquire(SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        wakeups.drainPermits();
        if (!running) {
          return;
        }
        Instant due = nextDeadline;
        boolean clockDue = settling || due != null && !clock.instant().isBefore(due);
        if (!woken && !clockDue && ++quietSweeps < QUIET_SWEEPS) {
          continue; // nothing happened and nothing waits on the clock: a long queue costs no CPU
        }
        quietSweeps = 0;
        boolean again = pass();
        if (again) {
          wake();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("scheduling pass failed; retrying on the next event", e);
        sleepQuietly(200);
      }
    }
  }

  /**
   * One pass; returns true when some placements were refused as stale and a new pass should follow.
   */
  boolean pass() {
    SnapshotReader.Snapshot read = snapshots.read(preempting);
    read.broken()
        .forEach(
            (runId, problem) ->
                store
                    .runById(runId)
                    .ifPresent(
                        run ->
                            lifecycle.finishQueuedRun(
                                run,
                                TerminationReason.SERVER_ERROR,
                                "its configuration can no longer be read: " + problem)));
    if (read.queues().isEmpty() && read.refused().isEmpty()) {
      waiting.clear();
      positions.clear();
      settling = false;
      nextDeadline = null;
      return false;
    }
    Instant now = clock.instant();
    Plan plan = planEachPool(read, now);
    List<JobPlacement> placements = new ArrayList<>();
    for (Placement p : plan.placements()) {
      RunSpec spec = read.specs().get(p.runId());
      Instant expectedEnd = spec.maxDuration() == null ? null : now.plus(spec.maxDuration());
      placements.add(
          new JobPlacement(
              p.jobId(),
              p.instanceId(),
              p.cpus(),
              p.memoryMb(),
              p.gpuIndices(),
              p.gpuUuids(),
              expectedEnd));
    }
    CommitResult result =
        placements.isEmpty()
            ? CommitResult.of(List.of(), List.of())
            : store.commitPlacements(placements);
    for (String jobId : result.committedJobIds()) {
      dispatcher.dispatch(jobId);
    }
    preempt(plan, read);
    boolean instancesSettling =
        read.instances().stream()
            .anyMatch(
                i ->
                    i.status() == InstanceStatus.PENDING
                        || i.status() == InstanceStatus.PROVISIONING
                        || i.status() == InstanceStatus.UNREACHABLE);
    Map<String, Waiting> nextWaiting = new java.util.HashMap<>();
    Map<String, Integer> nextPositions = new java.util.HashMap<>();
    Map<String, Integer> perProject = new java.util.HashMap<>();
    for (Waiting w : plan.waiting()) {
      nextWaiting.put(w.runId(), w);
      var queued = read.runs().get(w.runId());
      if (queued != null) {
        nextPositions.put(w.runId(), perProject.merge(queued.projectId(), 1, Integer::sum));
      }
    }
    positions.keySet().retainAll(nextPositions.keySet());
    positions.putAll(nextPositions);
    Instant deadline = null;
    for (Unplaceable u : plan.unplaceable()) {
      var run = read.runs().get(u.runId());
      RunSpec spec = read.specs().get(u.runId());
      if (read.holdingRuns().contains(u.runId())
          || run != null && run.runStatus() == dev.bosun.model.state.RunStatus.RUNNING) {
        // a running service's replica that no host can take now (its others hold them, or its
        // hosts are gone) waits for one rather than failing the service
        nextWaiting.put(u.runId(), new Waiting(u.runId(), u.reason(), null));
        continue;
      }
      boolean mayWait =
          instancesSettling
              || (spec.retriesOn("no-capacity")
                  && (spec.retryDuration() == null
                      || now.isBefore(run.submittedAt().plus(spec.retryDuration()))));
      if (mayWait) {
        nextWaiting.put(u.runId(), new Waiting(u.runId(), u.reason(), null));
        if (spec.retryDuration() != null) { // it fails once its retry duration is over
          Instant end = run.submittedAt().plus(spec.retryDuration());
          deadline = deadline == null || end.isBefore(deadline) ? end : deadline;
        }
      } else {
        store
            .runById(u.runId())
            .ifPresent(
                record ->
                    lifecycle.finishQueuedRun(
                        record, TerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY, u.reason()));
      }
    }
    settling = instancesSettling;
    nextDeadline = deadline;
    waiting.keySet().retainAll(nextWaiting.keySet());
    waiting.putAll(nextWaiting);
    java.util.List<String> pending = new ArrayList<>();
    for (String runId : nextWaiting.keySet()) {
      var run = read.runs().get(runId);
      if (run != null && run.runStatus() == dev.bosun.model.state.RunStatus.SUBMITTED) {
        pending.add(runId);
      }
    }
    store.markPending(pending);
    if (!result.committedJobIds().isEmpty() || !pending.isEmpty()) {
      events.changed();
    }
    if (!result.refusedJobIds().isEmpty()) {
      LOG.debug("{} placements were stale; planning again", result.refusedJobIds().size());
      return true;
    }
    // a service's next replica is placed by the next pass
    return read.moreReplicas() && !result.committedJobIds().isEmpty();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    wakeups.release();
    thread.interrupt();
  }

  /**
   * Stops the runs the plan preempts (once each: a run stays in {@code preempting} until its jobs
   * no longer hold resources, and counts as ending meanwhile).
   */
  private void preempt(Plan plan, SnapshotReader.Snapshot read) {
    preempting.retainAll(read.holdingRuns());
    for (var preemption : plan.preemptions()) {
      if (preempting.add(preemption.runId())) {
        LOG.info(
            "run {} preempted to make room for run {}", preemption.runId(), preemption.forRunId());
        preempter.accept(preemption.runId());
      }
    }
  }

  /** How to stop a preempted run (gracefully, reason {@code preempted}, back to the queue). */
  public void onPreempt(java.util.function.Consumer<String> stopRun) {
    this.preempter = stopRun;
  }

  /**
   * Each pool's queue is planned on its instances (see {@link FleetPools}); the plans are joined.
   */
  private Plan planEachPool(SnapshotReader.Snapshot read, Instant now) {
    List<Placement> placements = new ArrayList<>();
    List<Waiting> waits = new ArrayList<>();
    List<Unplaceable> unplaceable = new ArrayList<>();
    List<dev.bosun.scheduler.Preemption> preemptions = new ArrayList<>();
    // Runs whose backends match no fleet of their project can never be placed.
    read.refused().forEach((runId, reason) -> unplaceable.add(new Unplaceable(runId, reason)));
    read.queues()
        .forEach(
            (pool, queue) -> {
              ClusterSnapshot cluster =
                  read.clusters().getOrDefault(pool, new ClusterSnapshot(List.of()));
              Plan plan = scheduler.plan(cluster, queue, read.share(), now, random);
              placements.addAll(plan.placements());
              waits.addAll(plan.waiting());
              unplaceable.addAll(plan.unplaceable());
              preemptions.addAll(plan.preemptions());
            });
    return new Plan(placements, waits, unplaceable, preemptions);
  }

  /** The scheduler the loop plans with (its options: placement strategy), for plan previews. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Plans the run against the newest state without placing anything: see {@link PlanPreview}. */
  public PlanPreview preview(String projectId, String userId, RunSpec spec, String runName) {
    return PlanPreview.of(
        snapshots.read(preempting), scheduler, clock.instant(), projectId, userId, spec, runName);
  }
}
