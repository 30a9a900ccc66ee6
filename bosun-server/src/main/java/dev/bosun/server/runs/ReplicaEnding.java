package dev.bosun.server.runs;

import dev.bosun.model.state.RunStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.RunEvents;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the end of one replica of a service changes the service (for {@link RunLifecycle}, under its
 * lock). A service's jobs are its replicas, each independent: one that ends while the service runs
 * is replaced by a new job of the same replica number (whatever the run's {@code retry} says), so
 * the others keep serving. A replica that keeps failing soon after it starts ({@link
 * #QUICK_FAILURES} times in a row, each within {@link #QUICK} of its start) ends the service, as
 * does one reaching {@code max_duration}: the others are stopped and the run ends for that
 * replica's reason. A stopped service ends when its last replica has.
 */
final class ReplicaEnding {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaEnding.class);

  /** A replica that ends within this time of its start counts towards a crash loop. */
  static final Duration QUICK = Duration.ofSeconds(60);

  /** How many quick ends in a row of one replica end the service. */
  static final int QUICK_FAILURES = 3;

  /** Ends that are decided for the replica, not suffered by it: it is not replaced. */
  private static final Set<TerminationReason> NOT_REPLACED =
      EnumSet.of(
          TerminationReason.MAX_DURATION_EXCEEDED,
          TerminationReason.STOPPED_BY_USER,
          TerminationReason.ABORTED_BY_USER,
          TerminationReason.SCALED_DOWN,
          TerminationReason.GANG_MEMBER_FAILED,
          TerminationReason.MASTER_JOB_DONE);

  private final Store store;
  private final RunEvents events;
  private final Runnable wakeScheduler;
  private final BiConsumer<JobRecord, TerminationReason> jobStopper;

  ReplicaEnding(
      Store store,
      RunEvents events,
      Runnable wakeScheduler,
      BiConsumer<JobRecord, TerminationReason> jobStopper) {
    this.store = store;
    this.events = events;
    this.wakeScheduler = wakeScheduler;
    this.jobStopper = jobStopper;
  }

  /** Records the end of {@code finished}, a replica of the service {@code run}. */
  void finishReplica(RunRecord run, JobRecord finished, Instant startedAt, Instant now) {
    List<JobRecord> all =
        store.jobs(run.id()).stream()
            .map(j -> j.id().equals(finished.id()) ? finished : j)
            .toList();
    List<JobRecord> active = all.stream().filter(j -> !j.status().isFinished()).toList();
    TerminationReason why = finished.terminationReason();
    boolean ending = run.stopRequest() != null || run.status() == RunStatus.TERMINATING;
    // an old deployment's replica ending while its successor is on its way is not replaced
    boolean renewed =
        finished.deploymentNum() < run.deploymentNum()
            && active.stream()
                .anyMatch(
                    j ->
                        j.jobNum() == finished.jobNum()
                            && j.deploymentNum() == run.deploymentNum());
    if (!ending && !NOT_REPLACED.contains(why) && renewed) {
      // a rolling update's new job of this replica number is on its way: it takes over
      store.write(w -> w.saveJob(finished));
      done();
      return;
    }
    boolean rollingOut =
        finished.deploymentNum() == run.deploymentNum()
            && active.stream()
                .anyMatch(
                    j ->
                        j.jobNum() == finished.jobNum() && j.deploymentNum() < run.deploymentNum());
    if (!ending && !NOT_REPLACED.contains(why) && rollingOut) {
      // a rolling update's new replica failed beside the old one, which keeps serving: the rollout
      // tries again, and stops after a few failures
      store.write(w -> w.saveJob(finished));
      LOG.info(
          "run {}: replica {} of deployment {} ended ({}) while rolling out",
          run.name(),
          finished.jobNum(),
          run.deploymentNum(),
          finished.message() == null ? why.description() : finished.message());
      done();
      return;
    }
    if (!ending && !NOT_REPLACED.contains(why)) {
      int quick = quickEnds(all, finished.jobNum());
      if (quick < QUICK_FAILURES) {
        JobRecord next =
            JobRecord.submitted(
                UUID.randomUUID().toString(),
                run.id(),
                finished.jobNum(),
                finished.submissionNum() + 1,
                now,
                run.deploymentNum());
        store.write(
            w -> {
              w.saveJob(finished);
              w.saveJob(next);
            });
        LOG.info(
            "run {}: replica {} ended ({}); starting a new one",
            run.name(),
            finished.jobNum(),
            finished.message() == null ? why.description() : finished.message());
        done();
        return;
      }
      boolean rollingOver =
          active.stream().anyMatch(j -> j.deploymentNum() < finished.deploymentNum());
      if (rollingOver) {
        // A new configuration that keeps failing while replicas of the old one still serve: the
        // rollout stops there (Rollout, bosun ps say so); the service goes on with the old ones.
        store.write(w -> w.saveJob(finished));
        LOG.warn(
            "run {}: replica {} of deployment {} ended {} times in a row within {} s of its"
                + " start; the rollout stops, the old replicas keep serving",
            run.name(),
            finished.jobNum(),
            finished.deploymentNum(),
            quick,
            QUICK.toSeconds());
        done();
        return;
      }
      LOG.warn(
          "run {}: replica {} ended {} times in a row within {} s of its start; stopping the"
              + " service",
          run.name(),
          finished.jobNum(),
          quick,
          QUICK.toSeconds());
    }
    if (!ending && why != TerminationReason.SCALED_DOWN && !active.isEmpty()) {
      // the service ends with this replica: the others are stopped
      TerminationReason follow = TerminationReason.GANG_MEMBER_FAILED;
      List<JobRecord> placed = active.stream().filter(JobRecord::holdsResources).toList();
      store.write(
          w -> {
            w.saveJob(finished);
            for (JobRecord queued : active) {
              if (!queued.holdsResources()) { // never placed: it ends here and now
                w.saveJob(
                    queued.withState(
                        follow.jobStatus(), null, follow, follow.description(), null, now));
              }
            }
            w.saveRun(
                placed.isEmpty()
                    ? run.withStarted(startedAt)
                        .finished(
                            why.runStatus(),
                            why,
                            finished.message() == null ? why.description() : finished.message(),
                            finished.exitStatus(),
                            now)
                    : run.withStarted(startedAt).withStatus(RunStatus.TERMINATING));
          });
      placed.forEach(other -> jobStopper.accept(other, follow));
      done();
      return;
    }
    if (!active.isEmpty() || why == TerminationReason.SCALED_DOWN && !ending) {
      store.write(w -> w.saveJob(finished));
      done();
      return;
    }
    // The last replica has ended: so does the service, for the reason of the first replica whose
    // end was not caused by another's.
    JobRecord cause = RunEnding.cause(latestOfEachReplica(all));
    TerminationReason runWhy =
        cause == null ? TerminationReason.DONE_BY_AGENT : cause.terminationReason();
    String text = cause == null || cause.message() == null ? runWhy.description() : cause.message();
    if (cause != null
        && !NOT_REPLACED.contains(runWhy)
        && quickEnds(all, cause.jobNum()) >= QUICK_FAILURES) {
      text =
          "replica "
              + cause.jobNum()
              + ": "
              + text
              + " (it ended "
              + quickEnds(all, cause.jobNum())
              + " times in a row within "
              + QUICK.toSeconds()
              + " s of its start; see bosun logs "
              + run.name()
              + " --replica "
              + cause.jobNum()
              + ")";
    }
    Integer exit = cause == null ? finished.exitStatus() : cause.exitStatus();
    String message = text;
    store.write(
        w -> {
          w.saveJob(finished);
          w.saveRun(
              run.withStarted(startedAt).finished(runWhy.runStatus(), runWhy, message, exit, now));
        });
    LOG.info("run {}: {} ({})", run.name(), runWhy.runStatus().wireName(), text);
    done();
  }

  private void done() {
    events.changed();
    wakeScheduler.run();
  }

  /**
   * How many of the replica's latest jobs in a row, of its newest deployment, ended within {@link
   * #QUICK} of their start.
   */
  static int quickEnds(List<JobRecord> jobs, int replica) {
    int deployment =
        jobs.stream()
            .filter(j -> j.jobNum() == replica)
            .mapToInt(JobRecord::deploymentNum)
            .max()
            .orElse(0);
    List<JobRecord> mine =
        jobs.stream()
            .filter(
                j ->
                    j.jobNum() == replica
                        && j.deploymentNum() == deployment
                        && j.status().isFinished())
            .sorted(Comparator.comparingInt(JobRecord::submissionNum).reversed())
            .toList();
    int count = 0;
    for (JobRecord job : mine) {
      boolean quick =
          job.startedAt() == null
              || job.finishedAt() == null
              || Duration.between(job.startedAt(), job.finishedAt()).compareTo(QUICK) < 0;
      if (!quick || NOT_REPLACED.contains(job.terminationReason())) {
        break;
      }
      count++;
    }
    return count;
  }

  /** Each replica's newest job, those scaled down left out. */
  private static List<JobRecord> latestOfEachReplica(List<JobRecord> jobs) {
    Map<Integer, JobRecord> latest =
        jobs.stream()
            .collect(
                Collectors.toMap(
                    JobRecord::jobNum,
                    j -> j,
                    (a, b) -> a.submissionNum() >= b.submissionNum() ? a : b));
    List<JobRecord> result = new ArrayList<>();
    for (JobRecord job : latest.values()) {
      if (job.terminationReason() != TerminationReason.SCALED_DOWN) {
        result.add(job);
      }
    }
    return result;
  }
}
