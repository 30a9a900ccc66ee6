package dev.bosun.server.proxy;

import dev.bosun.model.state.JobStatus;
import dev.bosun.server.runs.RolloutRule;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a service's replicas to its newest deployment (a re-apply that changed its configuration),
 * one replica at a time: a job of the new deployment starts beside the old replica of the same
 * number, and the old one is stopped ({@code scaled_down}) only once the new one is ready, so the
 * service keeps answering. When no host can take the new job beside the old one (replicas listen on
 * the same port of their host, so each needs a host of its own) for {@link #SURGE_WAIT}, the old
 * one is stopped first and the new one takes its place; the other replicas answer meanwhile.
 * Outside a rollout it keeps a service of a fixed number of replicas at that number (a re-apply may
 * have changed it).
 */
final class Rollout {
  private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);

  /** How long a new replica may wait for a free host before the old one makes room. */
  static final Duration SURGE_WAIT = Duration.ofSeconds(10);

  private final RunLifecycle lifecycle;
  private final java.util.function.Consumer<List<JobRecord>> outOfRotation;

  /**
   * @param outOfRotation takes replicas out of the proxy's rotation as they are retired, so no new
   *     request goes to one that is stopping
   */
  Rollout(RunLifecycle lifecycle, java.util.function.Consumer<List<JobRecord>> outOfRotation) {
    this.lifecycle = lifecycle;
    this.outOfRotation = outOfRotation;
  }

  private void retire(List<JobRecord> jobs, int deployment) {
    outOfRotation.accept(jobs);
    lifecycle.replicaChanges().retire(jobs, "replaced by deployment " + deployment);
  }

  /**
   * Takes the next step for the run, if one is due.
   *
   * @return whether the service is rolling to a new deployment (the autoscaler waits for it)
   */
  boolean advance(
      RunRecord run, RunSpec spec, List<JobRecord> jobs, ReplicaReadyCheck ready, Instant now) {
    if (run.status().isFinished()
        || run.status() == dev.bosun.model.state.RunStatus.TERMINATING
        || run.stopRequest() != null) {
      return false;
    }
    int current = run.deploymentNum();
    List<JobRecord> live =
        jobs.stream()
            .filter(j -> !j.status().isFinished() && j.status() != JobStatus.TERMINATING)
            .sorted(Comparator.comparingInt(JobRecord::jobNum))
            .toList();
    List<JobRecord> old = live.stream().filter(j -> j.deploymentNum() < current).toList();
    if (old.isEmpty()) {
      if (spec.service().scaling() == null) {
        keepCount(run, spec, live);
      }
      return false;
    }
    // Old replicas still queued make no room and serve nothing: they go at once.
    List<JobRecord> queued = old.stream().filter(j -> !j.holdsResources()).toList();
    if (!queued.isEmpty()) {
      retire(queued, current);
      queued.forEach(job -> lifecycle.replicaChanges().addReplica(run.id(), job.jobNum()));
      return true;
    }
    if (live.stream().map(JobRecord::jobNum).distinct().anyMatch(n -> stalled(jobs, n, current))) {
      return false; // stopped: the old replicas keep serving, and the autoscaler goes on
    }
    for (JobRecord fresh : live) {
      if (fresh.deploymentNum() != current || ready.isReady(fresh)) {
        continue;
      }
      if (fresh.status() == JobStatus.RUNNING
          && fresh.startedAt() != null
          && Duration.between(fresh.startedAt(), now).compareTo(READY_WAIT) >= 0) {
        // It runs but never became ready: the rollout stops there, the old replicas serving.
        LOG.warn(
            "service {}: replica {} of deployment {} is not ready {} min after its start; the"
                + " rollout stops",
            run.name(),
            fresh.jobNum(),
            current,
            READY_WAIT.toMinutes());
        lifecycle
            .replicaChanges()
            .retire(
                List.of(fresh),
                RolloutRule.NEVER_READY + READY_WAIT.toMinutes() + " min of its start");
        return false;
      }
      // A new replica is on its way: wait for it, or make room for it.
      Optional<JobRecord> predecessor =
          old.stream().filter(j -> j.jobNum() == fresh.jobNum()).findFirst();
      if (predecessor.isPresent()
          && fresh.status() == JobStatus.SUBMITTED
          && Duration.between(fresh.submittedAt(), now).compareTo(SURGE_WAIT) >= 0) {
        LOG.info(
            "service {}: no host is free for replica {} of deployment {}; stopping the old one"
                + " to make room",
            run.name(),
            fresh.jobNum(),
            current);
        retire(List.of(predecessor.get()), current);
      }
      return true;
    }
    JobRecord next = old.getFirst();
    boolean successorReady =
        live.stream()
            .anyMatch(
                j ->
                    j.jobNum() == next.jobNum()
                        && j.deploymentNum() == current
                        && ready.isReady(j));
    if (successorReady) {
      LOG.info(
          "service {}: replica {} of deployment {} is ready; stopping the old one",
          run.name(),
          next.jobNum(),
          current);
      retire(List.of(next), current);
    } else {
      LOG.info(
          "service {}: starting replica {} of deployment {}", run.name(), next.jobNum(), current);
      lifecycle.replicaChanges().addReplica(run.id(), next.jobNum());
    }
    return true;
  }

  /** How long a new replica may run without becoming ready before the rollout stops. */
  static final Duration READY_WAIT = Duration.ofMinutes(20);

  /**
   * Whether the rollout to {@code deployment} stops at replica {@code num} ({@link RolloutRule}).
   */
  static boolean stalled(List<JobRecord> jobs, int num, int deployment) {
    return RolloutRule.stalled(jobs, num, deployment);
  }

  /** A service of a fixed number of replicas runs that many (after a re-apply changed it). */
  private void keepCount(RunRecord run, RunSpec spec, List<JobRecord> live) {
    int wanted = spec.service().replicas().min();
    if (live.size() != wanted && run.startedAt() != null) {
      outOfRotation.accept(lifecycle.replicaChanges().scaleTo(run.id(), wanted));
    }
  }

  /** Whether a running replica takes traffic. */
  interface ReplicaReadyCheck {
    boolean isReady(JobRecord job);
  }
}
