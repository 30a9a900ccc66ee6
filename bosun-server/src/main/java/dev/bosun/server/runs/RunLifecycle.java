package dev.bosun.server.runs;

import dev.bosun.api.agent.JobState;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.RunStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.RunEvents;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.StopRequestKind;
import dev.bosun.store.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that moves jobs and runs between states: on agent reports, on loss of a job, on a
 * run that can never be placed, on a stop of a queued run. Each transition is computed here and
 * written in one transaction.
 */
public final class RunLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

  private final Store store;
  private final RunSpecs specs;
  private final RunEvents events;
  private final InstantSource clock;
  private volatile Runnable wakeScheduler = () -> {};
  private volatile java.util.function.BiConsumer<JobRecord, TerminationReason> jobStopper =
      (job, reason) -> {};

  private final ReplicaEnding replicas;
  private final ReplicaChanges changes;

  public RunLifecycle(Store store, RunSpecs specs, RunEvents events, InstantSource clock) {
    this.store = store;
    this.specs = specs;
    this.events = events;
    this.clock = clock;
    this.replicas =
        new ReplicaEnding(
            store,
            events,
            () -> wakeScheduler.run(),
            (job, reason) -> jobStopper.accept(job, reason));
    this.changes =
        new ReplicaChanges(
            this,
            store,
            events,
            clock,
            () -> wakeScheduler.run(),
            (job, reason) -> jobStopper.accept(job, reason));
  }

  /**
   * Adds, retires and counts a service's replicas (for the autoscaler and rolling updates), under
   * this lifecycle's lock.
   */
  public ReplicaChanges replicaChanges() {
    return changes;
  }

  public void onSchedulerWake(Runnable wake) {
    this.wakeScheduler = wake;
  }

  /**
   * How to stop one job through its agent (gracefully, with the given reason), for the other jobs
   * of a multi-node run when one of them ends it; called without waiting for the agent.
   */
  public void onJobStop(java.util.function.BiConsumer<JobRecord, TerminationReason> stopper) {
    this.jobStopper = stopper;
  }

  /** Applies what an agent reported about a job. */
  public synchronized void onJobState(JobState state) {
    Optional<JobRecord> found = store.job(state.jobId());
    if (found.isEmpty() || found.get().status().isFinished()) {
      return;
    }
    JobRecord job = found.get();
    RunRecord run = store.runById(job.runId()).orElseThrow();
    if (state.status().isFinished()) {
      finishJob(
          run,
          job,
          state.status(),
          state.terminationReason(),
          state.message(),
          state.exitStatus(),
          state.startedAt(),
          state.finishedAt());
      return;
    }
    boolean progress =
        state.status() == JobStatus.PULLING
            && job.status() == JobStatus.PULLING
            && !java.util.Objects.equals(state.message(), job.message());
    if (!progress
        && (state.status() == job.status()
            || state.status() == JobStatus.SUBMITTED
            || state.status().ordinal() < job.status().ordinal())) {
      return; // nothing new, not started yet, or an older report arriving late
    }
    JobRecord updated =
        job.withState(
            state.status(),
            null,
            null,
            state.status() == JobStatus.PULLING ? state.message() : null,
            state.startedAt(),
            null);
    RunRecord runUpdated = run;
    if (state.status() == JobStatus.RUNNING && run.status() != RunStatus.TERMINATING) {
      runUpdated = run.withStatus(RunStatus.RUNNING).withStarted(state.startedAt());
      LOG.info("run {}: job {} running", run.name(), job.id());
    } else if (state.status() == JobStatus.TERMINATING && !specs.of(run).isService()) {
      // (a service's replica stopping, e.g. at its max_duration, does not stop the service: its
      // end decides, in ReplicaEnding)
      runUpdated = run.withStatus(RunStatus.TERMINATING).withStarted(state.startedAt());
    }
    RunRecord runToSave = runUpdated;
    store.write(
        w -> {
          w.saveJob(updated);
          w.saveRun(runToSave);
        });
    events.changed();
  }

  /** A job the agent no longer knows, or whose host is gone. */
  public synchronized void onJobLost(String jobId, TerminationReason reason, String message) {
    store
        .job(jobId)
        .filter(job -> !job.status().isFinished())
        .ifPresent(
            job -> {
              RunRecord run = store.runById(job.runId()).orElseThrow();
              LOG.warn("run {}: job {} lost: {}", run.name(), jobId, message);
              finishJob(run, job, reason.jobStatus(), reason, message, null, null, clock.instant());
            });
  }

  /**
   * Stops a run, deciding on the newest state under the lifecycle lock: queued jobs end at once; a
   * run with placed jobs becomes {@code terminating}. Returns the placed jobs, which the caller
   * signals through their agents; empty when nothing is left to signal. Throws when the run has
   * already finished.
   */
  public synchronized List<JobRecord> stopRun(String runId, boolean abort) {
    RunRecord current = store.runById(runId).orElseThrow();
    if (current.status().isFinished()) {
      throw new BosunException(
          ErrorCode.RUN_NOT_ACTIVE,
          "run '"
              + current.name()
              + "' has already finished ("
              + current.status().wireName()
              + "); there is nothing to stop");
    }
    TerminationReason reason = StopRequestKind.of(abort).reason();
    List<JobRecord> active =
        store.jobs(runId).stream().filter(j -> !j.status().isFinished()).toList();
    List<JobRecord> placed = active.stream().filter(JobRecord::holdsResources).toList();
    Instant now = clock.instant();
    store.write(
        w -> {
          for (JobRecord job : active) {
            if (!job.holdsResources()) {
              w.saveJob(
                  job.withState(reason.jobStatus(), null, reason, reason.description(), null, now));
            }
          }
          if (placed.isEmpty()) {
            w.saveRun(
                current.finished(reason.runStatus(), reason, reason.description(), null, now));
          } else {
            w.saveRun(
                current
                    .withStopRequest(StopRequestKind.of(abort))
                    .withStatus(RunStatus.TERMINATING));
          }
        });
    LOG.info("run {}: {} requested", current.name(), abort ? "abort" : "stop");
    events.changed();
    wakeScheduler.run();
    return placed;
  }

  /** Ends a run whose jobs were never placed (stopped while queued, or never fitting anywhere). */
  public synchronized void finishQueuedRun(
      RunRecord run, TerminationReason reason, String message) {
    Instant now = clock.instant();
    RunRecord current = store.runById(run.id()).orElse(run);
    if (current.status().isFinished()
        || store.jobs(run.id()).stream().anyMatch(JobRecord::holdsResources)) {
      return; // finished, or placed meanwhile: the job's own end decides
    }
    store.write(
        w -> {
          for (JobRecord job : store.jobs(run.id())) {
            if (!job.status().isFinished()) {
              w.saveJob(job.withState(reason.jobStatus(), null, reason, message, null, now));
            }
          }
          w.saveRun(current.finished(reason.runStatus(), reason, message, null, now));
        });
    LOG.info("run {}: {} ({})", run.name(), reason.wireName(), message);
    events.changed();
  }

  private void finishJob(
      RunRecord run,
      JobRecord job,
      JobStatus status,
      TerminationReason reason,
      String message,
      Integer exitStatus,
      Instant startedAt,
      Instant finishedAt) {
    Instant now = clock.instant();
    TerminationReason why = reason == null ? TerminationReason.SERVER_ERROR : reason;
    // A replica the server retired keeps the server's words ("replaced by deployment 2").
    String words =
        why == TerminationReason.SCALED_DOWN && job.message() != null ? job.message() : message;
    JobRecord finished =
        job.withState(
            status, exitStatus, why, words, startedAt, finishedAt == null ? now : finishedAt);
    RunSpec spec = specs.of(run);
    if (spec.isService()) {
      replicas.finishReplica(run, finished, startedAt, now);
      return;
    }
    List<JobRecord> attempt =
        store.jobs(run.id()).stream()
            .filter(j -> j.submissionNum() == job.submissionNum())
            .map(j -> j.id().equals(job.id()) ? finished : j)
            .toList();
    List<JobRecord> others = attempt.stream().filter(j -> !j.status().isFinished()).toList();
    if (!others.isEmpty()) {
      // A multi-node run goes on while any of its jobs runs; a job that failed, or a master that
      // finished under master-done, ends the others.
      store.write(w -> w.saveJob(finished));
      TerminationReason stopOthers = RunEnding.stopsTheOthers(finished, spec, run);
      if (stopOthers != null) {
        LOG.info(
            "run {}: job {} ended ({}); stopping its {} other job(s)",
            run.name(),
            job.jobNum(),
            why.wireName(),
            others.size());
        others.forEach(other -> jobStopper.accept(other, stopOthers));
      }
      events.changed();
      wakeScheduler.run();
      return;
    }
    JobRecord cause = RunEnding.cause(attempt);
    TerminationReason runWhy =
        cause == null ? TerminationReason.DONE_BY_AGENT : cause.terminationReason();
    String event = retryEvent(runWhy);
    // A preempted run goes back to the queue whatever its retry policy says.
    boolean retry =
        run.stopRequest() == null
            && (runWhy == TerminationReason.PREEMPTED
                || event != null
                    && spec.retriesOn(event)
                    && (spec.retryDuration() == null
                        || now.isBefore(run.submittedAt().plus(spec.retryDuration()))));
    if (retry) {
      String why0 = cause.message() == null ? runWhy.description() : cause.message();
      List<JobRecord> next =
          attempt.stream()
              .map(
                  j ->
                      JobRecord.submitted(
                          UUID.randomUUID().toString(),
                          run.id(),
                          j.jobNum(),
                          j.submissionNum() + 1,
                          now))
              .toList();
      RunRecord requeued =
          run.withStatus(RunStatus.SUBMITTED)
              .withWait("retrying after " + event + ": " + why0, null);
      store.write(
          w -> {
            w.saveJob(finished);
            next.forEach(w::saveJob);
            w.saveRun(requeued);
          });
      LOG.info(
          "run {}: ended ({}), retrying as submission {}",
          run.name(),
          why0,
          job.submissionNum() + 1);
    } else {
      String text =
          cause == null || cause.message() == null ? runWhy.description() : cause.message();
      Integer exit = cause == null ? exitStatus : cause.exitStatus();
      store.write(
          w -> {
            w.saveJob(finished);
            w.saveRun(
                run.withStarted(startedAt).finished(runWhy.runStatus(), runWhy, text, exit, now));
          });
      LOG.info("run {}: {} ({})", run.name(), runWhy.runStatus().wireName(), text);
    }
    events.changed();
    wakeScheduler.run();
  }

  /** The dstack retry event a termination counts as, or null when it is never retried. */
  private static String retryEvent(TerminationReason reason) {
    return switch (reason) {
      case CONTAINER_EXITED_WITH_ERROR, EXECUTOR_ERROR -> "error";
      case AGENT_LOST, INSTANCE_UNREACHABLE, INTERRUPTED, PREEMPTED -> "interruption";
      default -> null;
    };
  }
}
