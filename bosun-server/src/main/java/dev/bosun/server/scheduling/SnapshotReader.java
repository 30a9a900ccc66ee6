package dev.bosun.server.scheduling;

import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.RunStatus;
import dev.bosun.scheduler.Allocation;
import dev.bosun.scheduler.ClusterSnapshot;
import dev.bosun.scheduler.InstanceView;
import dev.bosun.scheduler.QueuedRun;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the store into the scheduler's immutable inputs: the cluster snapshot and the queue. */
final class SnapshotReader {
  private final Store store;
  private final RunSpecs specs;

  SnapshotReader(Store store, RunSpecs specs) {
    this.store = store;
    this.specs = specs;
  }

  record Snapshot(
      ClusterSnapshot cluster,
      List<QueuedRun> queue,
      List<InstanceRecord> instances,
      Map<String, RunRecord> runs,
      Map<String, RunSpec> specs) {}

  Snapshot read() {
    List<InstanceRecord> instances = store.instances();
    List<JobRecord> jobs = store.activeJobs();
    List<RunRecord> activeRuns = store.activeRuns();
    Map<String, List<Allocation>> allocations = new HashMap<>();
    Map<String, List<String>> queuedJobs = new HashMap<>();
    for (JobRecord job : jobs) {
      if (job.holdsResources()) {
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
      } else if (job.status() == JobStatus.SUBMITTED && job.instanceId() == null) {
        queuedJobs.computeIfAbsent(job.runId(), k -> new ArrayList<>()).add(job.id());
      }
    }
    List<dev.bosun.scheduler.InstanceView> views = new ArrayList<>();
    for (InstanceRecord instance : instances) {
      if (instance.resources() != null) {
        views.add(
            new InstanceView(
                instance.id(),
                instance.name(),
                instance.fleetName(),
                instance.status(),
                instance.resources(),
                allocations.getOrDefault(instance.id(), List.of())));
      }
    }
    List<QueuedRun> queue = new ArrayList<>();
    Map<String, RunRecord> runs = new HashMap<>();
    Map<String, RunSpec> runSpecs = new HashMap<>();
    for (RunRecord run : activeRuns) {
      List<String> queued = queuedJobs.get(run.id());
      boolean queueable = run.status() == RunStatus.SUBMITTED || run.status() == RunStatus.PENDING;
      if (queued == null || !queueable || run.stopRequest() != null) {
        continue;
      }
      RunSpec spec = specs.of(run);
      runs.put(run.id(), run);
      runSpecs.put(run.id(), spec);
      queue.add(
          new QueuedRun(
              run.id(),
              run.name(),
              run.priority(),
              run.submittedAt(),
              spec.resources(),
              spec.fleets(),
              queued,
              spec.maxDuration()));
    }
    return new Snapshot(new ClusterSnapshot(views), queue, instances, runs, runSpecs);
  }
}
