package dev.bosun.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One pass over the queue: decides runs one at a time, in queue order, against a working copy of
 * the cluster's free capacity that each placement updates. Per run: filter every host ({@link
 * FeasibilityChain}), keep the hosts the {@link QueuePolicy} leaves open, rank them ({@link
 * HostScorer}s) and place; or else explain why the run waits or never fits.
 *
 * <p>The work for every run and host allocates nothing; reasons, which need every host's
 * rejections, are written only for runs that never fit and for runs that wait for capacity rather
 * than behind another run. Each of the latter holds at least one host no run held before, so their
 * number is bounded by the number of hosts, not by the queue length.
 */
final class PlanningPass {
  private final List<HostCapacity> hosts;
  private final FeasibilityChain chain;
  private final List<HostScorer> scorers;
  private final QueuePolicy policy;
  private final StartEstimator estimator = new StartEstimator();
  private final ReasonWriter writer;
  private final Instant now;
  private final Map<GpuFilter, GpuFilter> gpuFilters = new HashMap<>();
  private final Map<String, Integer> turns = new HashMap<>();
  private final HostIndex index;
  private boolean tightestFirst;
  private final Map<RunClass, Failure> failed = new HashMap<>();

  /** Candidates a single-job run looks at in the tightest bucket before choosing. */
  static final int CANDIDATES = 8;

  /** Runs that need the same: a later one fails wherever an earlier one failed in the pass. */
  private record RunClass(
      dev.bosun.model.resources.ResourcesSpec resources,
      List<String> fleets,
      int jobs,
      java.time.Duration maxDuration,
      boolean container,
      String spreadRunId) {
    static RunClass of(QueuedRun run) {
      return new RunClass(
          run.resources(),
          run.fleets(),
          run.jobIds().size(),
          run.maxDuration(),
          run.container(),
          run.onePerHost() ? run.runId() : null);
    }
  }

  /** How the first run of a class failed: never fits (reason), or waits (behind whom). */
  private record Failure(String unplaceableReason, QueuedRun blocker) {}

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
    this.index = new HostIndex(hosts);
    this.chain = chain;
    this.scorers = List.copyOf(scorers);
    this.policy = policy;
    this.writer = writer;
    this.now = now;
  }

  /**
   * What the pass decided for a run.
   *
   * @param outcome the decision
   * @param demand what each of the run's jobs needs
   * @param assessments every host's verdict, with rejections, as it was before the decision; only
   *     when asked for
   */
  record Decision(RunOutcome outcome, RunDemand demand, List<HostAssessment> assessments) {}

  /** Decides a run; the runs decided before it, in this pass, are ahead of it. */
  Decision decide(QueuedRun run) {
    return decide(run, false);
  }

  /** Decides a run, keeping every host's assessment, for previews. */
  Decision decideExplained(QueuedRun run) {
    return decide(run, true);
  }

  /**
   * Lets single-job runs look at the tightest hosts first and choose among a few (bin-packing);
   * without it every run looks at every host.
   */
  PlanningPass tightestFirst(boolean on) {
    this.tightestFirst = on;
    return this;
  }

  /** The working capacity of every host, with this pass's placements. */
  List<HostCapacity> hosts() {
    return hosts;
  }

  /** When the job could start on a busy host, if known. */
  Instant estimatedStart(RunDemand demand, HostCapacity host) {
    return estimator.estimate(demand, host, now);
  }

  private Decision decide(QueuedRun run, boolean explain) {
    turns.put(run.runId(), turns.size());
    RunDemand demand =
        RunDemand.of(
            run.resources(),
            run.fleets(),
            run.jobIds().size(),
            filter -> gpuFilters.computeIfAbsent(filter, same -> same),
            run.container(),
            run.onePerHost() ? run.runId() : null);
    List<HostAssessment> assessments = explain ? assessAll(demand) : null;
    int jobs = run.jobIds().size();
    if (!explain) {
      Failure earlier = failed.get(RunClass.of(run));
      if (earlier != null) {
        // Capacity only shrinks and reservations only grow during a pass: it fails the same way.
        RunOutcome same =
            earlier.unplaceableReason() != null
                ? new Unplaceable(run.runId(), earlier.unplaceableReason())
                : new Waiting(run.runId(), writer.behind(earlier.blocker()), null);
        return new Decision(same, demand, null);
      }
      if (jobs == 1 && tightestFirst) {
        List<Candidate> tightest = tightestCandidates(run, demand);
        if (!tightest.isEmpty()) {
          return new Decision(place(run, tightest), demand, null);
        }
      }
    }
    List<Candidate> open = new ArrayList<>();
    List<HostCapacity> couldUse = new ArrayList<>();
    int unheld = 0;
    QueuedRun blocker = null;
    for (HostCapacity host : hosts) {
      HostFit fit = chain.evaluate(demand, host);
      if (fit != HostFit.FITS_NOW && fit != HostFit.BUSY) {
        continue;
      }
      couldUse.add(host);
      Optional<QueuedRun> holder = policy.holder(run, host);
      if (holder.isPresent()) {
        blocker = earlier(blocker, holder.get());
        continue;
      }
      unheld++;
      if (fit == HostFit.FITS_NOW) {
        open.add(candidate(demand, host));
      }
    }
    RunOutcome outcome;
    if (jobs > 1) {
      // A gang: all its jobs on hosts of one cluster fleet.
      couldUse = largestFleet(couldUse, h -> h);
      open = openFleet(open, jobs);
      unheld = Math.min(unheld, couldUse.size());
    }
    if (couldUse.size() < jobs) {
      List<HostAssessment> all = assessments != null ? assessments : assessAll(demand);
      String reason = writer.unplaceable(demand, jobs, all);
      outcome = new Unplaceable(run.runId(), reason);
      failed.putIfAbsent(RunClass.of(run), new Failure(reason, null));
    } else if (open.size() >= jobs) {
      outcome = place(run, open);
    } else {
      outcome =
          unheld < jobs
              ? new Waiting(run.runId(), writer.behind(blocker), null)
              : waitForCapacity(
                  run,
                  demand,
                  assessments != null ? assessments : assessAll(demand),
                  open.size(),
                  couldUse);
      policy.recordWaiting(run, demand, couldUse);
      failed.putIfAbsent(RunClass.of(run), new Failure(null, blocker == null ? run : blocker));
    }
    return new Decision(outcome, demand, assessments);
  }

  /** The hosts of the fleet with the most of them. */
  private static <T> List<T> largestFleet(
      List<T> items, java.util.function.Function<T, HostCapacity> host) {
    Map<String, List<T>> byFleet = new java.util.TreeMap<>();
    for (T item : items) {
      byFleet
          .computeIfAbsent(host.apply(item).view().fleetName(), f -> new ArrayList<>())
          .add(item);
    }
    List<T> largest = List.of();
    for (List<T> fleet : byFleet.values()) {
      largest = fleet.size() > largest.size() ? fleet : largest;
    }
    return largest;
  }

  /**
   * The candidates of the one fleet that can take all {@code jobs} now at the lowest total penalty;
   * when none can, those of the fleet with the most candidates (which is then fewer than needed).
   */
  private static List<Candidate> openFleet(List<Candidate> open, int jobs) {
    Map<String, List<Candidate>> byFleet = new java.util.TreeMap<>();
    for (Candidate candidate : open) {
      byFleet
          .computeIfAbsent(candidate.host().view().fleetName(), f -> new ArrayList<>())
          .add(candidate);
    }
    List<Candidate> best = null;
    double bestScore = Double.MAX_VALUE;
    for (List<Candidate> fleet : byFleet.values()) {
      if (fleet.size() < jobs) {
        continue;
      }
      fleet.sort(Candidate.BEST_FIRST);
      double score = 0;
      for (int i = 0; i < jobs; i++) {
        score += fleet.get(i).score();
      }
      if (score < bestScore) {
        best = fleet;
        bestScore = score;
      }
    }
    return best != null ? best : largestFleet(open, Candidate::host);
  }

  /**
   * The hosts that can take a single-job run now, from the tightest bucket of the {@link HostIndex}
   * that has any, at most {@link #CANDIDATES}; empty when no host can (the full scan then explains
   * why the run waits).
   */
  private List<Candidate> tightestCandidates(QueuedRun run, RunDemand demand) {
    List<Candidate> found = new ArrayList<>();
    for (java.util.TreeSet<HostCapacity> bucket : index.tightestFirst(demand.gpu().count())) {
      for (HostCapacity host : bucket) {
        if (chain.evaluate(demand, host) == HostFit.FITS_NOW
            && policy.holder(run, host).isEmpty()) {
          found.add(candidate(demand, host));
          if (found.size() == CANDIDATES) {
            return found;
          }
        }
      }
      if (!found.isEmpty()) {
        return found;
      }
    }
    return found;
  }

  private List<HostAssessment> assessAll(RunDemand demand) {
    List<HostAssessment> all = new ArrayList<>(hosts.size());
    for (HostCapacity host : hosts) {
      all.add(chain.assess(demand, host));
    }
    return all;
  }

  private QueuedRun earlier(QueuedRun current, QueuedRun other) {
    if (current == null) {
      return other;
    }
    return turns.getOrDefault(other.runId(), Integer.MAX_VALUE)
            < turns.getOrDefault(current.runId(), Integer.MAX_VALUE)
        ? other
        : current;
  }

  private Candidate candidate(RunDemand demand, HostCapacity host) {
    Candidate candidate =
        new Candidate(
            host, demand.cpusOn(host), demand.memoryMbOn(host), demand.gpusOn(host, false), 0);
    double score = 0;
    for (HostScorer scorer : scorers) {
      score += scorer.penalty(candidate);
    }
    return candidate.withScore(score);
  }

  private Placed place(QueuedRun run, List<Candidate> open) {
    if (run.jobIds().size() == 1) {
      Candidate best = open.getFirst();
      for (Candidate candidate : open) {
        best = Candidate.BEST_FIRST.compare(candidate, best) < 0 ? candidate : best;
      }
      open = List.of(best);
    } else {
      open.sort(Candidate.BEST_FIRST);
    }
    Instant expectedEnd =
        now != null && run.maxDuration() != null ? now.plus(run.maxDuration()) : null;
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
      index.remove(host);
      host.allocate(
          new Allocation(
              jobId, run.runId(), chosen.cpus(), chosen.memoryMb(), indices, expectedEnd));
      index.add(host);
      placements.add(
          new Placement(
              run.runId(),
              jobId,
              host.instanceId(),
              chosen.cpus(),
              chosen.memoryMb(),
              indices,
              uuids));
    }
    return new Placed(run.runId(), placements);
  }

  /**
   * A run that waits for capacity on hosts no waiting run ahead holds. Its estimated start is when
   * the last of its jobs could start there; held hosts do not count, since it would start on them
   * only after the run that holds them, which v1 does not estimate.
   */
  private Waiting waitForCapacity(
      QueuedRun run,
      RunDemand demand,
      List<HostAssessment> assessments,
      int openHosts,
      List<HostCapacity> usable) {
    Map<HostCapacity, Instant> starts = new HashMap<>();
    Map<HostCapacity, QueuedRun> holders = new HashMap<>();
    List<Instant> known = new ArrayList<>();
    java.util.Set<HostCapacity> counted = new java.util.HashSet<>(usable);
    for (HostAssessment assessment : assessments) {
      if (!assessment.couldFit() || !counted.contains(assessment.host())) {
        continue; // a gang counts only the hosts of the cluster fleet it waits for
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
