package dev.bosun.server.runs;

import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.RunStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.RunEvents;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Changes to the number of a service's replicas that the server decides (the autoscaler, a rolling
 * update, a fixed count after a re-apply): each taken under {@link RunLifecycle}'s lock, from the
 * jobs as they are then, so it never races an agent's report or the end of a replica.
 */
public final class ReplicaChanges {
  private final Object lock;
  private final Store store;
  private final RunEvents events;
  private final InstantSource clock;
  private final Runnable wakeScheduler;
  private final BiConsumer<JobRecord, TerminationReason> jobStopper;

  ReplicaChanges(
      Object lock,
      Store store,
      RunEvents events,
      InstantSource clock,
      Runnable wakeScheduler,
      BiConsumer<JobRecord, TerminationReason> jobStopper) {
    this.lock = lock;
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.wakeScheduler = wakeScheduler;
    this.jobStopper = jobStopper;
  }

  private volatile BiConsumer<JobRecord, Runnable> drain = (job, stop) -> stop.run();

  /**
   * Lets a retired replica finish the requests it has in flight before it is stopped: {@code drain}
   * is given each running replica retired and the stop to run when it may (at once by default). It
   * must not block.
   */
  public void drainWith(BiConsumer<JobRecord, Runnable> drain) {
    this.drain = drain;
  }

  /**
   * Adds {@code count} replicas to a running service: new queued jobs taking the lowest replica
   * numbers not in use.
   */
  public void addReplicas(String runId, int count) {
    synchronized (lock) {
      RunRecord run = store.runById(runId).orElseThrow();
      if (!scalable(run)) {
        return;
      }
      List<JobRecord> jobs = store.jobs(runId);
      java.util.Set<Integer> used =
          jobs.stream()
              .filter(j -> !j.status().isFinished())
              .map(JobRecord::jobNum)
              .collect(java.util.stream.Collectors.toSet());
      Instant now = clock.instant();
      List<JobRecord> added = new java.util.ArrayList<>();
      for (int num = 0; added.size() < count; num++) {
        if (used.contains(num)) {
          continue;
        }
        added.add(replica(run, jobs, num, now));
      }
      store.write(w -> added.forEach(w::saveJob));
      events.changed();
      wakeScheduler.run();
    }
  }

  /**
   * Brings a service to {@code wanted} replicas, counting its jobs that neither ended nor are being
   * stopped as they are now: adds the missing ones ({@link #addReplicas}) or removes the extra ones
   * ({@link #removeReplicas}, whose retired jobs it returns).
   */
  public List<JobRecord> scaleTo(String runId, int wanted) {
    synchronized (lock) {
      long live =
          store.jobs(runId).stream()
              .filter(j -> !j.status().isFinished() && j.status() != JobStatus.TERMINATING)
              .count();
      if (live < wanted) {
        addReplicas(runId, (int) (wanted - live));
      } else if (live > wanted) {
        return removeReplicas(runId, (int) (live - wanted));
      }
      return List.of();
    }
  }

  /**
   * Adds a job of the service's current deployment as replica {@code num}, beside the replica of
   * that number that runs now (a rolling update replaces it once the new one is ready).
   */
  public void addReplica(String runId, int num) {
    synchronized (lock) {
      RunRecord run = store.runById(runId).orElseThrow();
      List<JobRecord> jobs = store.jobs(runId);
      if (!scalable(run)
          || jobs.stream()
              .anyMatch(
                  j ->
                      j.jobNum() == num
                          && !j.status().isFinished()
                          && j.deploymentNum() == run.deploymentNum())) {
        return; // ending, or that replica of this deployment exists already
      }
      JobRecord job = replica(run, jobs, num, clock.instant());
      store.write(w -> w.saveJob(job));
      events.changed();
      wakeScheduler.run();
    }
  }

  /** Whether replicas may be added to the run: it is neither ending nor being stopped. */
  private static boolean scalable(RunRecord run) {
    return !run.status().isFinished()
        && run.status() != RunStatus.TERMINATING
        && run.stopRequest() == null;
  }

  /** A new queued job of the run's current deployment for replica {@code num}. */
  private static JobRecord replica(RunRecord run, List<JobRecord> jobs, int num, Instant now) {
    int submission =
        jobs.stream()
                .filter(j -> j.jobNum() == num)
                .mapToInt(JobRecord::submissionNum)
                .max()
                .orElse(-1)
            + 1;
    return JobRecord.submitted(
        UUID.randomUUID().toString(), run.id(), num, submission, now, run.deploymentNum());
  }

  /**
   * Removes {@code count} replicas of a service, queued ones first (they end at once), then the
   * running ones with the highest numbers, which are marked {@code terminating} and stopped through
   * their agents with {@code scaled_down}.
   */
  public List<JobRecord> removeReplicas(String runId, int count) {
    synchronized (lock) {
      List<JobRecord> victims =
          store.jobs(runId).stream()
              .filter(j -> !j.status().isFinished() && j.status() != JobStatus.TERMINATING)
              .sorted(
                  java.util.Comparator.comparing(JobRecord::holdsResources)
                      .thenComparing(JobRecord::jobNum, java.util.Comparator.reverseOrder()))
              .limit(count)
              .toList();
      return retire(victims, TerminationReason.SCALED_DOWN.description());
    }
  }

  /**
   * Ends replicas of a service that are no longer wanted ({@code scaled_down}, with {@code
   * message}): queued ones at once; placed ones are marked {@code terminating} and stopped through
   * their agents once drained ({@link #drainWith}).
   */
  public List<JobRecord> retire(List<JobRecord> victims, String message) {
    synchronized (lock) {
      Instant now = clock.instant();
      TerminationReason why = TerminationReason.SCALED_DOWN;
      // As they are now: one may have been placed, or have ended, since the caller read it.
      List<JobRecord> current =
          victims.stream()
              .map(job -> store.job(job.id()).orElse(job))
              .filter(job -> !job.status().isFinished() && job.status() != JobStatus.TERMINATING)
              .toList();
      store.write(
          w -> {
            for (JobRecord job : current) {
              w.saveJob(
                  job.holdsResources()
                      ? job.withState(JobStatus.TERMINATING, null, null, message, null, null)
                      : job.withState(why.jobStatus(), null, why, message, null, now));
            }
          });
      current.stream()
          .filter(JobRecord::holdsResources)
          .forEach(job -> drain.accept(job, () -> jobStopper.accept(job, why)));
      events.changed();
      wakeScheduler.run();
      return current;
    }
  }
}
