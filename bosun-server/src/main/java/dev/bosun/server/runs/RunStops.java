package dev.bosun.server.runs;

import dev.bosun.api.agent.AgentException;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.StopRequestKind;
import dev.bosun.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping runs and jobs through their agents: a user's stop, a fleet deleted with {@code --force},
 * the other jobs of a multi-node run one job has ended, a preemption, and stops sent again when an
 * agent reconnects. The decision is {@link RunLifecycle}'s; this class only delivers it.
 */
public final class RunStops {
  private static final Logger LOG = LoggerFactory.getLogger(RunStops.class);

  private final Store store;
  private final RunSpecs specs;
  private final RunLifecycle lifecycle;
  private final AgentConnections connections;

  RunStops(Store store, RunSpecs specs, RunLifecycle lifecycle, AgentConnections connections) {
    this.store = store;
    this.specs = specs;
    this.lifecycle = lifecycle;
    this.connections = connections;
  }

  /** Stops (or aborts) a run: queued jobs end at once, placed ones are signalled. */
  void stop(RunRecord run, boolean abort) {
    TerminationReason reason = StopRequestKind.of(abort).reason();
    for (JobRecord job : lifecycle.stopRun(run.id(), abort)) {
      sendStop(run, job, abort, reason);
    }
  }

  /**
   * Stops a run gracefully because its fleet is being deleted with {@code --force}; does nothing if
   * it has already finished or is stopping.
   */
  public void stopForFleetDeletion(String runId) {
    RunRecord run = store.runById(runId).orElse(null);
    if (run == null || run.status().isFinished() || run.stopRequest() != null) {
      return;
    }
    TerminationReason reason = StopRequestKind.of(false).reason();
    try {
      for (JobRecord job : lifecycle.stopRun(run.id(), false)) {
        sendStop(run, job, false, reason);
      }
    } catch (dev.bosun.model.error.BosunException e) {
      // finished meanwhile: nothing to stop
    }
  }

  /**
   * Stops one job gracefully through its agent, on a virtual thread (the caller may hold the
   * lifecycle lock); used for the other jobs of a multi-node run that one job has ended.
   */
  public void stopJob(JobRecord job, TerminationReason reason) {
    Thread.ofVirtual()
        .start(
            () -> store.runById(job.runId()).ifPresent(run -> sendStop(run, job, false, reason)));
  }

  /**
   * Stops a run the scheduler preempted: its jobs stop gracefully with reason {@code preempted},
   * and the run then goes back to the queue.
   */
  public void preempt(String runId) {
    for (JobRecord job : store.jobs(runId)) {
      if (job.holdsResources() && !job.status().isFinished()) {
        stopJob(job, TerminationReason.PREEMPTED);
      }
    }
  }

  /** Sends stop requests again for jobs of runs being stopped; used after an agent reconnects. */
  public void resendStops(String instanceId) {
    for (JobRecord job : store.activeJobs()) {
      if (!instanceId.equals(job.instanceId())) {
        continue;
      }
      RunRecord run = store.runById(job.runId()).orElse(null);
      if (run == null) {
        continue;
      }
      if (run.stopRequest() != null) {
        StopRequestKind kind = run.stopRequest();
        sendStop(run, job, kind == StopRequestKind.ABORT, kind.reason());
        continue;
      }
      RunSpec spec = specs.of(run);
      if (spec.isService()) {
        // A service's replicas end on their own; all stop only when one has ended the service.
        if (run.status() == dev.bosun.model.state.RunStatus.TERMINATING) {
          sendStop(run, job, false, TerminationReason.GANG_MEMBER_FAILED);
        } else if (job.status() == dev.bosun.model.state.JobStatus.TERMINATING) {
          sendStop(run, job, false, TerminationReason.SCALED_DOWN); // scaled down or replaced
        }
        continue;
      }
      // A multi-node run another job of which has ended it: this job is to stop too.
      store.jobs(run.id()).stream()
          .filter(j -> j.submissionNum() == job.submissionNum() && j.status().isFinished())
          .map(j -> RunEnding.stopsTheOthers(j, spec, run))
          .filter(java.util.Objects::nonNull)
          .findFirst()
          .ifPresent(reason -> sendStop(run, job, false, reason));
    }
  }

  private void sendStop(RunRecord run, JobRecord job, boolean abort, TerminationReason reason) {
    connections
        .client(job.instanceId())
        .ifPresentOrElse(
            client -> {
              try {
                lifecycle.onJobState(client.stop(job.id(), new StopRequest(abort, reason)));
              } catch (dev.bosun.api.agent.AgentRequestException e) {
                if (e.statusCode() == 404) {
                  // the agent never got the job (still being delivered): it must not start now
                  lifecycle.onJobLost(job.id(), reason, "stopped before it started");
                } else {
                  LOG.warn(
                      "run {}: stop of job {} refused: {}", run.name(), job.id(), e.getMessage());
                }
              } catch (AgentException e) {
                LOG.warn(
                    "run {}: stop of job {} not delivered ({}); sent again when the agent is back",
                    run.name(),
                    job.id(),
                    e.getMessage());
              }
            },
            () ->
                LOG.warn(
                    "run {}: agent of job {} not connected; the stop is sent when it is",
                    run.name(),
                    job.id()));
  }
}
