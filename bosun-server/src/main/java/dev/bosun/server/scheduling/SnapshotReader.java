package dev.bosun.server.scheduling;

import dev.bosun.scheduler.Allocation;
import dev.bosun.scheduler.ClusterSnapshot;
import dev.bosun.scheduler.InstanceView;
import dev.bosun.scheduler.QueuedRun;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.SchedulingState;
import dev.bosun.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the store into the scheduler's immutable inputs: the cluster snapshot and the queue. One
 * query per kind of row, through the status indexes; run configurations come from the {@link
 * RunSpecs} cache, so no YAML is read on this path.
 */
final class SnapshotReader {
  private final Store store;
  private final RunSpecs specs;
  private final FairShareUsage usage;
  private final java.time.InstantSource clock;

  SnapshotReader(Store store, RunSpecs specs, java.time.InstantSource clock) {
    this.store = store;
    this.specs = specs;
    this.usage = new FairShareUsage(store);
    this.clock = clock;
  }

  /**
   * The pass's inputs. Each pool of projects (see {@link FleetPools}) is planned on its own
   * instances: {@code clusters} and {@code queues} are keyed by pool.
   */
  record Snapshot(
      FleetPools pools,
      Map<String, ClusterSnapshot> clusters,
      Map<String, List<QueuedRun>> queues,
      List<InstanceRecord> instances,
      Map<String, SchedulingState.QueuedJob> runs,
      Map<String, RunSpec> specs,
      Map<String, String> broken,
      dev.bosun.scheduler.FairShare share,
      java.util.Set<String> holdingRuns,
      Map<String, String> refused,
      boolean moreReplicas) {}

  /**
   * @param preempting runs being preempted: their resources count as on their way back
   */
  Snapshot read(java.util.Set<String> preempting) {
    SchedulingState state = store.schedulingState();
    Map<String, dev.bosun.scheduler.RunningRun> running = running(state, preempting);
    Map<String, List<Allocation>> allocations = new HashMap<>();
    for (JobRecord job : state.holding()) {
      allocations
          .computeIfAbsent(job.instanceId(), k -> new ArrayList<>())
          .add(
              new Allocation(
                  job.id(),
                  job.runId(),
                  job.cpus() == null ? 0 : job.cpus(),
                  job.memoryMb() == null ? 0 : job.memoryMb(),
                  job.gpus(),
                  job.expectedEnd()));
    }
    FleetPools pools = new FleetPools(state.instances(), state.fleetShares(), state.projects());
    Map<String, List<InstanceView>> views = new HashMap<>();
    for (InstanceRecord instance : state.instances()) {
      if (instance.resources() != null) {
        views
            .computeIfAbsent(pools.poolOf(instance.projectId()), k -> new ArrayList<>())
            .add(
                new InstanceView(
                    instance.id(),
                    instance.name(),
                    pools.key(instance),
                    schedulingStatus(instance),
                    instance.resources(),
                    allocations.getOrDefault(instance.id(), List.of()),
                    instance.fleetCluster(),
                    HostBlocks.count(instance)));
      }
    }
    Map<String, SchedulingState.QueuedJob> runs = new LinkedHashMap<>();
    Map<String, List<String>> jobsOfRun = new HashMap<>();
    for (SchedulingState.QueuedJob queued : state.queued()) {
      runs.putIfAbsent(queued.runId(), queued);
      jobsOfRun.computeIfAbsent(queued.runId(), k -> new ArrayList<>()).add(queued.jobId());
    }
    Map<String, List<QueuedRun>> queues = new HashMap<>();
    Map<String, RunSpec> runSpecs = new HashMap<>();
    Map<String, String> broken = new HashMap<>();
    Map<String, String> refused = new HashMap<>();
    boolean moreReplicas = false;
    for (SchedulingState.QueuedJob run : runs.values()) {
      RunSpec spec;
      try {
        spec = specs.of(run.runId(), () -> store.runById(run.runId()).orElseThrow());
      } catch (dev.bosun.model.error.BosunException e) {
        broken.put(run.runId(), e.getMessage()); // e.g. stored before a parser change
        continue;
      }
      runSpecs.put(run.runId(), spec);
      java.util.Optional<List<String>> fleets = pools.fleetsFor(spec, run.projectId());
      if (fleets.isEmpty()) {
        refused.put(run.runId(), dev.bosun.server.runs.BackendFilter.noneReason(spec));
        continue;
      }
      List<String> jobIds = jobsOfRun.get(run.runId());
      if (spec.isService() && jobIds.size() > 1) {
        // A service's replicas are placed one at a time, each on its own (no gang), each on a host
        // without another of them unless they run in containers: the next pass places the next.
        jobIds = jobIds.subList(0, 1);
        moreReplicas = true;
      }
      queues
          .computeIfAbsent(pools.poolOf(run.projectId()), k -> new ArrayList<>())
          .add(
              new QueuedRun(
                  run.runId(),
                  run.runName(),
                  run.priority(),
                  run.submittedAt(),
                  spec.resources(),
                  fleets.get(),
                  jobIds,
                  spec.maxDuration(),
                  run.projectId(),
                  state.runUsers().getOrDefault(run.runId(), ""),
                  spec.preemptible(),
                  spec.inContainer(),
                  // replicas that listen on the host's ports need a host each; those in bridge
                  // containers listen on ports Docker picks, so several may share a host
                  spec.isService() && !spec.inContainer()));
    }
    Map<String, ClusterSnapshot> clusters = new HashMap<>();
    views.forEach((project, list) -> clusters.put(project, new ClusterSnapshot(list, running)));
    return new Snapshot(
        pools,
        clusters,
        queues,
        state.instances(),
        runs,
        runSpecs,
        broken,
        queues.isEmpty() ? dev.bosun.scheduler.FairShare.NONE : usage.at(state, clock.instant()),
        running.keySet(),
        refused,
        moreReplicas);
  }

  /** Priority and preemptibility of every run holding resources, for preemption. */
  private Map<String, dev.bosun.scheduler.RunningRun> running(
      SchedulingState state, java.util.Set<String> preempting) {
    Map<String, dev.bosun.scheduler.RunningRun> running = new HashMap<>();
    for (JobRecord job : state.holding()) {
      boolean ending =
          preempting.contains(job.runId())
              || job.status() == dev.bosun.model.state.JobStatus.TERMINATING;
      dev.bosun.scheduler.RunningRun known = running.get(job.runId());
      if (known != null) {
        if (ending && !known.ending()) {
          running.put(
              job.runId(),
              new dev.bosun.scheduler.RunningRun(known.priority(), known.preemptible(), true));
        }
        continue;
      }
      RunSpec spec;
      try {
        spec = specs.of(job.runId(), () -> store.runById(job.runId()).orElseThrow());
      } catch (RuntimeException e) {
        continue; // not preemptible if its configuration cannot be read
      }
      running.put(
          job.runId(),
          new dev.bosun.scheduler.RunningRun(spec.priority(), spec.preemptible(), ending));
    }
    return running;
  }

  /** The status the scheduler sees: the hosts of a draining fleet take no new jobs. */
  static dev.bosun.model.state.InstanceStatus schedulingStatus(InstanceRecord instance) {
    return instance.status().canRunJobs() && !instance.takesJobs()
        ? dev.bosun.model.state.InstanceStatus.TERMINATING
        : instance.status();
  }
}
