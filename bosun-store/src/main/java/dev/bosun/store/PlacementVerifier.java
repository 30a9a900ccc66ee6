package dev.bosun.store;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.RunStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Re-checks each proposed placement against the state inside the committing transaction, as Nomad's
 * plan applier does: the job must still be queued and the instance must still have the CPUs, memory
 * and GPUs free.
 */
final class PlacementVerifier {

  /**
   * Commits the placements still valid. The jobs of one run are committed all together or not at
   * all (a multi-node run never holds part of its hosts), inside a savepoint per run.
   */
  CommitResult commit(Handle h, List<JobPlacement> placements, String instanceSelect) {
    List<String> committed = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    java.util.Map<String, List<JobPlacement>> byRun = new java.util.LinkedHashMap<>();
    for (JobPlacement placement : placements) {
      String runId =
          JobRows.byId(h, placement.jobId()).map(JobRecord::runId).orElse(placement.jobId());
      byRun.computeIfAbsent(runId, k -> new ArrayList<>()).add(placement);
    }
    int savepoints = 0;
    for (List<JobPlacement> run : byRun.values()) {
      String savepoint = "run_" + savepoints++;
      if (run.size() > 1) {
        h.savepoint(savepoint);
      }
      boolean whole = true;
      for (JobPlacement placement : run) {
        if (!claim(h, placement, instanceSelect)) {
          whole = false;
          break;
        }
      }
      List<String> ids = run.stream().map(JobPlacement::jobId).toList();
      if (whole) {
        if (run.size() > 1) {
          h.release(savepoint);
        }
        committed.addAll(ids);
      } else {
        if (run.size() > 1) {
          h.rollbackToSavepoint(savepoint); // Jdbi forgets the savepoint with it
        }
        refused.addAll(ids);
      }
    }
    return CommitResult.of(committed, refused);
  }

  private boolean claim(Handle h, JobPlacement placement, String instanceSelect) {
    JobRecord job = JobRows.byId(h, placement.jobId()).orElse(null);
    if (job == null
        || !isValid(h, placement, instanceSelect)
        || !JobRows.claim(
            h,
            job.placed(
                placement.instanceId(),
                placement.cpus(),
                placement.memoryMb(),
                placement.gpus(),
                placement.gpuUuids(),
                placement.expectedEnd()))) {
      return false;
    }
    h.createUpdate(
            "UPDATE runs SET status = ?, wait_reason = NULL, estimated_start = NULL, "
                + "version = version + 1 WHERE id = ? AND status IN (?, ?)")
        .bind(0, RunStatus.PROVISIONING.name())
        .bind(1, job.runId())
        .bind(2, RunStatus.PENDING.name())
        .bind(3, RunStatus.SUBMITTED.name())
        .execute();
    return true;
  }

  private boolean isValid(Handle h, JobPlacement placement, String instanceSelect) {
    Optional<JobRecord> job = JobRows.byId(h, placement.jobId());
    if (job.isEmpty()
        || job.get().status() != JobStatus.SUBMITTED
        || job.get().instanceId() != null) {
      return false;
    }
    Optional<String> runProject =
        h.createQuery(
                "SELECT project_id FROM runs WHERE id = ? AND stop_request IS NULL"
                    + " AND status IN (?, ?, ?, ?)")
            .bind(0, job.get().runId())
            .bind(1, RunStatus.SUBMITTED.name())
            .bind(2, RunStatus.PENDING.name())
            // a multi-node run is provisioning once its first job is claimed in this commit; a
            // service's next replica, or one replacing a replica that ended, joins a run that is
            // provisioning or running
            .bind(3, RunStatus.PROVISIONING.name())
            .bind(4, RunStatus.RUNNING.name())
            .mapTo(String.class)
            .findOne();
    if (runProject.isEmpty()) {
      return false; // stopped or finished since the plan was made
    }
    Optional<InstanceRecord> instance =
        h.createQuery(instanceSelect + " WHERE i.id = ?")
            .bind(0, placement.instanceId())
            .map((rs, ctx) -> StoreRows.instance(rs))
            .findOne();
    if (instance.isEmpty()
        || !mayUse(h, runProject.get(), instance.get())
        || !instance.get().takesJobs()
        || instance.get().resources() == null) {
      return false;
    }
    var resources = instance.get().resources();
    int cpus = placement.cpus();
    long memory = placement.memoryMb();
    Set<Integer> gpusInUse = new HashSet<>();
    for (JobRecord other : JobRows.activeOnInstance(h, placement.instanceId())) {
      cpus += other.cpus() == null ? 0 : other.cpus();
      memory += other.memoryMb() == null ? 0 : other.memoryMb();
      gpusInUse.addAll(other.gpus());
    }
    Set<Integer> hostGpus = new HashSet<>();
    for (GpuDevice gpu : resources.gpus()) {
      hostGpus.add(gpu.index());
    }
    for (Integer gpu : placement.gpus()) {
      if (!hostGpus.contains(gpu) || gpusInUse.contains(gpu)) {
        return false;
      }
    }
    return cpus <= resources.cpus() && memory <= resources.memoryMb();
  }

  /** A run may use the hosts of its project's fleets and of fleets shared with its project. */
  private static boolean mayUse(Handle h, String runProject, InstanceRecord instance) {
    return runProject.equals(instance.projectId())
        || h.createQuery("SELECT COUNT(*) FROM fleet_shares WHERE fleet_id = ? AND project_id = ?")
                .bind(0, instance.fleetId())
                .bind(1, runProject)
                .mapTo(Long.class)
                .one()
            > 0;
  }
}
