package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opt-in preemption, after the pass: for each waiting single-node run, in queue order, find the
 * host where stopping the fewest preemptible runs of lower priority (lowest priority first) makes
 * it fit, and stop those. Nothing is preempted for a run that would not fit then, nor while room is
 * already being made for it (runs being stopped count as gone). The room made is taken by that run
 * in the working capacity, so two waiting runs never count on the same freed GPUs.
 */
final class Preemptor {
  private final FeasibilityChain chain;
  private final Map<String, RunningRun> running;
  private final Set<String> chosen = new HashSet<>();

  Preemptor(FeasibilityChain chain, Map<String, RunningRun> running) {
    this.chain = chain;
    this.running = running;
  }

  private record Choice(
      HostCapacity host, List<Allocation> ending, List<Allocation> victims, int gpus) {}

  /** The runs to stop for {@code run}, which waits; empty when none would make it fit. */
  List<Preemption> makeRoom(QueuedRun run, RunDemand demand, List<HostCapacity> hosts) {
    if (run.isGang() || running.isEmpty()) {
      return List.of();
    }
    Choice best = null;
    for (HostCapacity host : hosts) {
      if (chain.evaluate(demand, host) != HostFit.BUSY) {
        continue;
      }
      HostCapacity future = host.copy();
      List<Allocation> ending = new ArrayList<>();
      for (Allocation allocation : List.copyOf(future.allocations())) {
        if (isEnding(allocation)) {
          future.release(allocation);
          ending.add(allocation);
        }
      }
      if (demand.fitsFreeCapacityOf(future)) {
        return List.of(); // room is being made already
      }
      List<Allocation> candidates =
          future.allocations().stream()
              .filter(a -> isVictim(a, run))
              .sorted(
                  Comparator.comparingInt((Allocation a) -> running.get(a.runId()).priority())
                      .thenComparing(Allocation::runId))
              .toList();
      List<Allocation> victims = new ArrayList<>();
      for (Allocation victim : candidates) {
        if (demand.fitsFreeCapacityOf(future)) {
          break;
        }
        future.release(victim);
        victims.add(victim);
      }
      if (victims.isEmpty() || !demand.fitsFreeCapacityOf(future)) {
        continue;
      }
      int gpus = victims.stream().mapToInt(a -> a.gpuIndices().size()).sum();
      if (best == null
          || victims.size() < best.victims().size()
          || victims.size() == best.victims().size() && gpus < best.gpus()) {
        best = new Choice(host, ending, victims, gpus);
      }
    }
    if (best == null) {
      return List.of();
    }
    List<Preemption> preemptions = new ArrayList<>();
    best.ending().forEach(best.host()::release);
    for (Allocation victim : best.victims()) {
      best.host().release(victim);
      if (chosen.add(victim.runId())) {
        preemptions.add(new Preemption(victim.runId(), run.runId(), best.host().instanceId()));
      }
    }
    // The freed room is this run's from now on in this pass.
    HostCapacity host = best.host();
    List<Integer> gpus = new ArrayList<>();
    for (int position : demand.gpusOn(host, false)) {
      gpus.add(host.gpu(position).index());
    }
    host.allocate(
        new Allocation(
            "preempting-for-" + run.runId(),
            run.runId(),
            demand.cpusOn(host),
            demand.memoryMbOn(host),
            gpus,
            null));
    return preemptions;
  }

  private boolean isEnding(Allocation allocation) {
    RunningRun owner = running.get(allocation.runId());
    return chosen.contains(allocation.runId()) || owner != null && owner.ending();
  }

  private boolean isVictim(Allocation allocation, QueuedRun run) {
    RunningRun owner = running.get(allocation.runId());
    return owner != null
        && owner.preemptible()
        && !owner.ending()
        && owner.priority() < run.priority();
  }
}
