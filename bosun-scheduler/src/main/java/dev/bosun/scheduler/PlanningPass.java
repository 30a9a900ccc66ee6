package dev.bosun.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One pass over the queue: decides runs one at a time, in queue order, against a working copy of the cluster's free
 * capacity that each placement updates. Per run: filter every host ({@link FeasibilityChain}), keep the hosts the
 * {@link QueuePolicy} leaves open, rank them ({@link HostScorer}s) and place, or explain why the run waits or never
 * fits.
 */
final class PlanningPass {
  private final List<HostCapacity> hosts;
  private final FeasibilityChain chain;
  private final List<HostScorer> scorers;
  private final QueuePolicy policy;
  private final StartEstimator estimator;
  private final ReasonWriter writer;
  private final Instant now;

  /**
   * @param now the current time, or null for a preview that is not tied to one
   */
  PlanningPass(
      ClusterSnapshot snapshot,
      FeasibilityChain chain,
      List<HostScorer> scorers,
      QueuePolicy policy,
      ReasonWriter writer,
      Instant now) {
    this.hosts = snapshot.instances().stream().map(HostCapacity::new).toList();
    this.chain = chain;
    this.scorers = List.copyOf(scorers);
    this.policy = policy;
    this.estimator = new StartEstimator();
    this.writer = writer;
    this.now = now;
  }

  /** What the pass decided for a run, with every host's verdict on it. */
  record Decision(RunOutcome outcome, RunDemand demand, List<HostAssessment> assessments) {}

  Decision decide(QueuedRun run) {
    RunDemand demand = RunDemand.of(run.resources(), run.fleets());
    int jobs = run.jobIds().size();
    List<HostAssessment> assessments = new ArrayList<>(hosts.size());
    List<Candidate> open = new ArrayList<>();
    QueuedRun blocker = null;
    int held = 0;
    int couldFit = 0;
    for (HostCapacity host : hosts) {
      HostAssessment assessment = chain.assess(demand, host);
      assessments.add(assessment);
      if (!assessment.couldFit()) {
        continue;
      }
      couldFit++;
      if (assessment.fit() == HostFit.FITS_NOW) {
        Optional<QueuedRun> holder = policy.holder(run, host);
        if (holder.isEmpty()) {
          open.add(candidate(demand, host));
        } else {
          held++;
          blocker = blocker == null ? holder.get() : blocker;
        }
      }
    }
    if (couldFit < jobs) {
      return new Decision(new Unplaceable(run.runId(), writer.unplaceable(demand, jobs, assessments)), demand,
          assessments);
    }
    if (open.size() >= jobs) {
      return new Decision(place(run, open), demand, assessments);
    }
    Waiting waiting = blocker != null && open.size() + held >= jobs
        ? new Waiting(run.runId(), writer.behind(blocker), null)
        : waitForCapacity(run, demand, assessments, open.size());
    List<HostCapacity> couldUse = new ArrayList<>(couldFit);
    for (HostAssessment assessment : assessments) {
      if (assessment.couldFit()) {
        couldUse.add(assessment.host());
      }
    }
    policy.recordWaiting(run, couldUse);
    return new Decision(waiting, demand, assessments);
  }

  /** When the job could start on a busy host, if known; for previews and reasons. */
  Instant estimatedStart(RunDemand demand, HostCapacity host) {
    return estimator.estimate(demand, host, now);
  }

  private Candidate candidate(RunDemand demand, HostCapacity host) {
    Candidate candidate = new Candidate(
        host,
        demand.cpusOn(host.resources()),
        demand.memoryMbOn(host.resources()),
        demand.gpu().select(host, false),
        0);
    double score = 0;
    for (HostScorer scorer : scorers) {
      score += scorer.penalty(candidate);
    }
    return candidate.withScore(score);
  }

  private Placed place(QueuedRun run, List<Candidate> open) {
    open.sort(Candidate.BEST_FIRST);
    Instant expectedEnd = now != null && run.maxDuration() != null ? now.plus(run.maxDuration()) : null;
    List<Placement> placements = new ArrayList<>(run.jobIds().size());
    for (int job = 0; job < run.jobIds().size(); job++) {
      Candidate chosen = open.get(job);
      HostCapacity host = chosen.host();
      List<Integer> indices = new ArrayList<>(chosen.gpuPositions().length);
      List<String> uuids = new ArrayList<>(chosen.gpuPositions().length);
      for (int position : chosen.gpuPositions()) {
        indices.add(host.gpu(position).index());
        uuids.add(host.gpu(position).uuid());
      }
      String jobId = run.jobIds().get(job);
      host.allocate(new Allocation(jobId, run.runId(), chosen.cpus(), chosen.memoryMb(), indices, expectedEnd));
      placements.add(new Placement(run.runId(), jobId, host.instanceId(), chosen.cpus(), chosen.memoryMb(), indices,
          uuids));
    }
    return new Placed(run.runId(), placements);
  }

  /**
   * A run that no open host can start now. Its estimated start is when the last of its jobs could start, counting only
   * hosts no waiting run ahead holds (on held hosts it would start after that run, which v1 does not estimate).
   */
  private Waiting waitForCapacity(QueuedRun run, RunDemand demand, List<HostAssessment> assessments, int openHosts) {
    Map<HostCapacity, Instant> starts = new HashMap<>();
    Map<HostCapacity, QueuedRun> holders = new HashMap<>();
    List<Instant> known = new ArrayList<>();
    for (HostAssessment assessment : assessments) {
      if (!assessment.couldFit()) {
        continue;
      }
      HostCapacity host = assessment.host();
      Optional<QueuedRun> holder = policy.holder(run, host);
      if (holder.isPresent()) {
        holders.put(host, holder.get());
      } else if (assessment.fit() == HostFit.FITS_NOW) {
        known.add(now);
      } else {
        Instant start = estimator.estimate(demand, host, now);
        if (start != null) {
          starts.put(host, start);
          known.add(start);
        }
      }
    }
    int jobs = run.jobIds().size();
    Instant estimate = null;
    if (known.size() >= jobs && known.stream().allMatch(Objects::nonNull)) {
      known.sort(null);
      estimate = known.get(jobs - 1);
    }
    String reason = writer.waiting(demand, jobs, assessments, starts, holders, openHosts);
    return new Waiting(run.runId(), reason, estimate);
  }
}
