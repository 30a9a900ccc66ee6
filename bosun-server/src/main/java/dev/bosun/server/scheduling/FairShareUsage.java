package dev.bosun.server.scheduling;

import dev.bosun.scheduler.FairShare;
import dev.bosun.store.JobRecord;
import dev.bosun.store.SchedulingState;
import dev.bosun.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What each user has used of a project, for the scheduler's fair share: GPU-hours (a job without
 * GPUs counts {@link FairShare#GPU_PER_CPU} of a GPU per CPU), each hour weighted by its age with a
 * half-life of {@link #HALF_LIFE}, so last week counts half as much as today.
 *
 * <p>Finished jobs are added as they finish: each pass reads only the jobs that finished since the
 * last one (through an index), and the sums decay in place. The jobs holding resources now are
 * counted on every pass from the pass's own state — for the time they have run, plus one hour of
 * what they hold, so that a user whose job has just started does not also get the next free GPU.
 */
final class FairShareUsage {
  static final Duration HALF_LIFE = Duration.ofDays(7);
  private static final Duration WINDOW = HALF_LIFE.multipliedBy(4);

  /** Jobs may be reported finished a little after their end time: look back this far again. */
  private static final Duration LATE_REPORTS = Duration.ofMinutes(10);

  private static final double HELD_HOURS = 1.0;

  private final Store store;
  private final Map<String, Double> finished = new HashMap<>();
  private final Map<String, Instant> recent = new HashMap<>();
  private Instant asOf;
  private Instant readUpTo;

  FairShareUsage(Store store) {
    this.store = store;
  }

  /**
   * The usage of every user with history or running jobs, keyed by project and user; each project's
   * usage (the sum of its users') and weight.
   */
  synchronized FairShare at(SchedulingState state, Instant now) {
    addFinished(now);
    Map<String, Double> users = new HashMap<>(finished);
    for (JobRecord job : state.holding()) {
      String user = state.runUsers().get(job.runId());
      String project = state.runProjects().get(job.runId());
      if (user == null || project == null) {
        continue;
      }
      double rate = rate(job.gpus().size(), job.cpus() == null ? 0 : job.cpus());
      Instant start = job.startedAt() == null ? now : job.startedAt();
      double used = decayed(rate, start, now, now) + rate * HELD_HOURS;
      users.merge(FairShare.userKey(project, user), used, Double::sum);
    }
    Map<String, Double> projects = new HashMap<>();
    users.forEach(
        (key, used) -> projects.merge(key.substring(0, key.indexOf('/')), used, Double::sum));
    Map<String, Double> weights = new HashMap<>();
    state
        .projects()
        .forEach(
            (id, project) -> {
              if (project.weight() != 1.0 && project.weight() > 0) {
                weights.put(id, project.weight());
              }
            });
    return new FairShare(weights, projects, users);
  }

  private void addFinished(Instant now) {
    if (asOf != null) {
      double factor = Math.pow(0.5, hours(asOf, now) / hours(HALF_LIFE));
      finished.replaceAll((user, used) -> used * factor);
    }
    asOf = now;
    Instant since = readUpTo == null ? now.minus(WINDOW) : readUpTo.minus(LATE_REPORTS);
    for (SchedulingState.Usage job : store.finishedJobUsage(since)) {
      if (recent.putIfAbsent(job.jobId(), job.finishedAt()) != null) {
        continue; // counted already
      }
      finished.merge(
          FairShare.userKey(job.projectId(), job.userId()),
          decayed(rate(job.gpus(), job.cpus()), job.startedAt(), job.finishedAt(), now),
          Double::sum);
      if (readUpTo == null || job.finishedAt().isAfter(readUpTo)) {
        readUpTo = job.finishedAt();
      }
    }
    if (readUpTo == null) {
      readUpTo = since;
    }
    Instant forget = readUpTo.minus(LATE_REPORTS);
    recent.values().removeIf(end -> end.isBefore(forget));
  }

  private static double rate(int gpus, int cpus) {
    return gpus > 0 ? gpus : cpus * FairShare.GPU_PER_CPU;
  }

  /** {@code rate} × the hours from start to end, each hour weighted by how long ago it was. */
  static double decayed(double rate, Instant start, Instant end, Instant now) {
    if (start == null || end == null || !end.isAfter(start)) {
      return 0;
    }
    double lambda = Math.log(2) / hours(HALF_LIFE);
    return rate
        * (Math.exp(-lambda * hours(end, now)) - Math.exp(-lambda * hours(start, now)))
        / lambda;
  }

  private static double hours(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 3_600_000.0);
  }

  private static double hours(Duration duration) {
    return duration.toMillis() / 3_600_000.0;
  }
}
