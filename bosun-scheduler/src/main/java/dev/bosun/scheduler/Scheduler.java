package dev.bosun.scheduler;

import dev.bosun.model.resources.ResourcesSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Bosun's scheduler: a pure function from a cluster snapshot and the queue to a {@link Plan}. No
 * I/O, clock or threads; the same inputs give the same plan. Safe to share between threads.
 *
 * <p>Stages, each replaceable on its own: an ordering of the queue ({@code FairShareOrdering}:
 * priority, then fair share between projects and users, then age), a queue policy deciding what
 * waiting runs hold ({@code ReservationBackfill}), and per run a chain of feasibility checks that
 * filter hosts and record why they reject ({@code FeasibilityChain}), then scorers that rank the
 * hosts left ({@code HostScorer}: keep GPU hosts for GPU jobs, then bin-pack). Runs are placed one
 * at a time on a working copy of the free capacity, so later runs see earlier placements.
 *
 * <p>The queue rule is backfill with reservations ({@code ReservationBackfill}): a run that waits
 * reserves the hosts whose total capacity could fit it from when it could start there, and a run
 * after it in the queue starts on those hosts only if its {@code max_duration} ends it before then;
 * unplaceable runs hold nothing. A multi-node run is placed whole on one cluster fleet or not at
 * all.
 */
public final class Scheduler {
  private final SchedulerOptions options;
  private final FeasibilityChain chain;
  private final List<HostScorer> scorers;

  public Scheduler() {
    this(SchedulerOptions.DEFAULTS);
  }

  public Scheduler(SchedulerOptions options) {
    this.options = Objects.requireNonNull(options, "options is null");
    this.chain = FeasibilityChain.standard();
    this.scorers =
        List.of(
            new GpuHostReserveScorer(),
            options.spread() ? new SpreadScorer() : new BinPackScorer());
  }

  /**
   * Decides, for every queued run, whether to place it now and where, or why it waits or can never
   * fit.
   *
   * @param snapshot the instances and what their jobs hold
   * @param queue the runs waiting for placement, each run id once, in any order
   * @param now the current time, for estimated starts and expected ends of placed jobs
   * @param random accepted for future tie-breaking policies; v1 breaks ties by instance name and
   *     does not draw from it
   * @return placements for all jobs of the runs that start now, and every other run as waiting or
   *     unplaceable
   */
  public Plan plan(
      ClusterSnapshot snapshot, List<QueuedRun> queue, Instant now, RandomGenerator random) {
    return plan(snapshot, queue, FairShare.NONE, now, random);
  }

  /**
   * Decides, for every queued run, whether to place it now and where, or why it waits or can never
   * fit; runs of equal priority take turns by fair share.
   *
   * @param share what each project and user has used, and the projects' weights
   */
  public Plan plan(
      ClusterSnapshot snapshot,
      List<QueuedRun> queue,
      FairShare share,
      Instant now,
      RandomGenerator random) {
    Objects.requireNonNull(snapshot, "snapshot is null");
    Objects.requireNonNull(share, "share is null");
    Objects.requireNonNull(queue, "queue is null");
    Objects.requireNonNull(now, "now is null");
    Objects.requireNonNull(random, "random is null");
    rejectDuplicates(queue);
    PlanningPass pass =
        new PlanningPass(
                snapshot,
                chain,
                scorers,
                new ReservationBackfill(now),
                new ReasonWriter(options.zone(), now),
                now)
            .tightestFirst(!options.spread());
    List<QueuedRun> ordered = new FairShareOrdering(share).order(queue);
    List<PlanningPass.Decision> decisions = new ArrayList<>(queue.size());
    for (QueuedRun run : ordered) {
      decisions.add(pass.decide(run));
    }
    // Opt-in preemption: waiting runs, in queue order, may stop preemptible runs of lower priority.
    Preemptor preemptor = new Preemptor(chain, snapshot.running());
    List<Preemption> preemptions = new ArrayList<>();
    List<RunOutcome> outcomes = new ArrayList<>(queue.size());
    for (int i = 0; i < ordered.size(); i++) {
      RunOutcome outcome = decisions.get(i).outcome();
      if (outcome instanceof Waiting waiting) {
        List<Preemption> room =
            preemptor.makeRoom(ordered.get(i), decisions.get(i).demand(), pass.hosts());
        if (!room.isEmpty()) {
          preemptions.addAll(room);
          outcome =
              new Waiting(
                  waiting.runId(),
                  "stopping "
                      + room.size()
                      + " preemptible run(s) of lower priority to make room; "
                      + waiting.reason(),
                  waiting.estimatedStart());
        }
      }
      outcomes.add(outcome);
    }
    Plan plan = Plan.of(outcomes);
    return new Plan(plan.placements(), plan.waiting(), plan.unplaceable(), preemptions);
  }

  /**
   * What would happen to a single-job run with these resources if it were submitted now, ignoring
   * other queued runs. Estimated starts are not clamped to the present; see {@link
   * #preview(ClusterSnapshot, ResourcesSpec, List, Instant)}.
   *
   * @param fleets the fleets it may use; empty for any
   */
  public Preview preview(ClusterSnapshot snapshot, ResourcesSpec resources, List<String> fleets) {
    return preview(snapshot, resources, fleets, null);
  }

  /**
   * What would happen to a single-job run with these resources if it were submitted now, ignoring
   * other queued runs.
   *
   * @param fleets the fleets it may use; empty for any
   * @param now the current time (estimates are never earlier), or null
   */
  public Preview preview(
      ClusterSnapshot snapshot, ResourcesSpec resources, List<String> fleets, Instant now) {
    return preview(snapshot, resources, fleets, 1, now);
  }

  /**
   * What would happen to a run of {@code nodes} jobs (one per host, all on one cluster fleet when
   * more than one) with these resources if it were submitted now, ignoring other queued runs.
   */
  public Preview preview(
      ClusterSnapshot snapshot,
      ResourcesSpec resources,
      List<String> fleets,
      int nodes,
      Instant now) {
    return preview(snapshot, resources, fleets, nodes, false, now);
  }

  /**
   * What would happen to a run of {@code nodes} jobs, in containers or not, with these resources if
   * it were submitted now, ignoring other queued runs.
   */
  public Preview preview(
      ClusterSnapshot snapshot,
      ResourcesSpec resources,
      List<String> fleets,
      int nodes,
      boolean container,
      Instant now) {
    Objects.requireNonNull(snapshot, "snapshot is null");
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1: " + nodes);
    }
    Objects.requireNonNull(resources, "resources is null");
    Objects.requireNonNull(fleets, "fleets is null");
    ReasonWriter writer = new ReasonWriter(options.zone(), now);
    PlanningPass pass = new PlanningPass(snapshot, chain, scorers, QueuePolicy.NONE, writer, now);
    QueuedRun run =
        new QueuedRun(
            Preview.RUN_ID,
            Preview.RUN_ID,
            0,
            now == null ? Instant.EPOCH : now,
            resources,
            fleets,
            nodes == 1
                ? List.of(Preview.RUN_ID)
                : java.util.stream.IntStream.range(0, nodes)
                    .mapToObj(i -> Preview.RUN_ID + "-" + i)
                    .toList(),
            null,
            "",
            "",
            false,
            container);
    PlanningPass.Decision decision = pass.decideExplained(run);
    List<HostReport> hosts = new ArrayList<>(decision.assessments().size());
    for (HostAssessment assessment : decision.assessments()) {
      HostCapacity host = assessment.host();
      Instant start =
          assessment.fit() == HostFit.BUSY ? pass.estimatedStart(decision.demand(), host) : null;
      hosts.add(
          new HostReport(
              host.instanceId(),
              host.name(),
              host.view().fleetName(),
              assessment.fit(),
              writer.hostReason(assessment, start)));
    }
    return new Preview(decision.outcome(), hosts);
  }

  private static void rejectDuplicates(List<QueuedRun> queue) {
    Set<String> runIds = new HashSet<>();
    for (QueuedRun run : queue) {
      if (!runIds.add(run.runId())) {
        throw new IllegalArgumentException("run " + run.runId() + " appears twice in the queue");
      }
    }
  }
}
