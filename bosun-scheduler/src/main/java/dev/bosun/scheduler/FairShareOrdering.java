package dev.bosun.scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The queue order: higher {@code priority} first; within a priority, fair share — the project with
 * the least use for its weight goes next, and inside it the user with the least use — then the
 * oldest submission (then run id, so the order is total).
 *
 * <p>Use is what {@link FairShare} gives (history) plus, as runs get their turn in this order, what
 * each run is expected to use: its jobs × (GPUs, or CPUs × {@link FairShare#GPU_PER_CPU} without
 * GPUs) × its {@code max_duration} in hours (one hour when unlimited). So two projects of equal
 * weight and no history alternate, and a project of weight 2 gets two turns per turn of a project
 * of weight 1. Turns are charged whether the run then starts or waits: order is decided before
 * placement, and a waiting run also holds its place.
 */
final class FairShareOrdering implements QueueOrdering {
  private static final Comparator<QueuedRun> AGE =
      Comparator.comparing(QueuedRun::submittedAt).thenComparing(QueuedRun::runId);

  private final FairShare share;

  FairShareOrdering(FairShare share) {
    this.share = share;
  }

  @Override
  public List<QueuedRun> order(List<QueuedRun> queue) {
    Map<Integer, List<QueuedRun>> byPriority = new TreeMap<>(Comparator.reverseOrder());
    for (QueuedRun run : queue) {
      byPriority.computeIfAbsent(run.priority(), p -> new ArrayList<>()).add(run);
    }
    List<QueuedRun> ordered = new ArrayList<>(queue.size());
    for (List<QueuedRun> level : byPriority.values()) {
      orderLevel(level, ordered);
    }
    return ordered;
  }

  /** Expected use of a run, in GPU-hours, charged when it gets its turn. */
  static double charge(QueuedRun run) {
    int gpus = run.resources().gpuOrDefault().count().minOrZero();
    double rate;
    if (gpus > 0) {
      rate = gpus;
    } else {
      var cpu = run.resources().cpu();
      int cpus = cpu == null || cpu.count() == null ? 2 : cpu.count().minOrZero();
      rate = cpus * FairShare.GPU_PER_CPU;
    }
    Duration bound = run.maxDuration() == null ? Duration.ofHours(1) : run.maxDuration();
    return run.jobIds().size() * rate * bound.toSeconds() / 3600.0;
  }

  private void orderLevel(List<QueuedRun> level, List<QueuedRun> out) {
    Map<String, ProjectTurns> projects = new HashMap<>();
    for (QueuedRun run : level) {
      projects.computeIfAbsent(run.project(), p -> new ProjectTurns(p, share)).add(run, share);
    }
    if (projects.size() == 1 && projects.values().iterator().next().byName.size() == 1) {
      level.sort(AGE); // one user: plain age order, no bookkeeping
      out.addAll(level);
      return;
    }
    PriorityQueue<ProjectTurns> next = new PriorityQueue<>(ProjectTurns.ORDER);
    projects.values().forEach(ProjectTurns::ready);
    next.addAll(projects.values());
    while (!next.isEmpty()) {
      ProjectTurns project = next.poll();
      QueuedRun run = project.take();
      out.add(run);
      if (project.hasRuns()) {
        next.add(project);
      }
    }
  }

  /** The runs of one project at one priority, in the order of its users' turns. */
  private static final class ProjectTurns {
    static final Comparator<ProjectTurns> ORDER =
        Comparator.comparingDouble((ProjectTurns p) -> p.used / p.weight)
            .thenComparing(p -> p.users.peek().runs.peekFirst(), AGE)
            .thenComparing(p -> p.name);

    final String name;
    final double weight;
    double used;
    final Map<String, UserTurns> byName = new HashMap<>();
    final PriorityQueue<UserTurns> users = new PriorityQueue<>(UserTurns.ORDER);

    ProjectTurns(String name, FairShare share) {
      this.name = name;
      this.weight = share.weight(name);
      this.used = share.projectUsage(name);
    }

    void add(QueuedRun run, FairShare share) {
      byName
          .computeIfAbsent(
              run.user(), u -> new UserTurns(u, share.userUsage(run.project(), run.user())))
          .pending
          .add(run);
    }

    void ready() {
      for (UserTurns user : byName.values()) {
        user.pending.sort(AGE);
        user.runs.addAll(user.pending);
        users.add(user);
      }
    }

    QueuedRun take() {
      UserTurns user = users.poll();
      QueuedRun run = user.runs.pollFirst();
      double charge = charge(run);
      user.used += charge;
      used += charge;
      if (!user.runs.isEmpty()) {
        users.add(user);
      }
      return run;
    }

    boolean hasRuns() {
      return !users.isEmpty();
    }
  }

  private static final class UserTurns {
    static final Comparator<UserTurns> ORDER =
        Comparator.comparingDouble((UserTurns u) -> u.used)
            .thenComparing(u -> u.runs.peekFirst(), AGE)
            .thenComparing(u -> u.name);

    final String name;
    double used;
    final List<QueuedRun> pending = new ArrayList<>();
    final ArrayDeque<QueuedRun> runs = new ArrayDeque<>();

    UserTurns(String name, double used) {
      this.name = name;
      this.used = used;
    }
  }
}
