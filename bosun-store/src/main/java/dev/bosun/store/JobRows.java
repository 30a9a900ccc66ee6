package dev.bosun.store;

import static dev.bosun.store.StoreRows.millis;
import static dev.bosun.store.StoreRows.name;
import static dev.bosun.store.StoreRows.toJson;

import dev.bosun.model.state.JobStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Job rows: the queries shared by the store and the placement verifier. */
final class JobRows {
  private static final List<String> ACTIVE =
      Arrays.stream(JobStatus.values())
          .filter(s -> !s.isFinished())
          .map(s -> "'" + s.name() + "'")
          .toList();

  private static final List<String> HOLDING =
      Arrays.stream(JobStatus.values())
          .filter(s -> !s.isFinished() && s != JobStatus.SUBMITTED)
          .map(s -> "'" + s.name() + "'")
          .toList();

  private JobRows() {}

  static List<JobRecord> ofRun(Handle h, String runId) {
    return h.createQuery("SELECT * FROM jobs WHERE run_id = ? ORDER BY submission_num, job_num")
        .bind(0, runId)
        .map((rs, ctx) -> StoreRows.job(rs))
        .list();
  }

  static Optional<JobRecord> byId(Handle h, String jobId) {
    return h.createQuery("SELECT * FROM jobs WHERE id = ?")
        .bind(0, jobId)
        .map((rs, ctx) -> StoreRows.job(rs))
        .findOne();
  }

  static List<JobRecord> active(Handle h) {
    return h.createQuery("SELECT * FROM jobs WHERE status IN (<active>) ORDER BY submitted_at, id")
        .defineList("active", ACTIVE)
        .map((rs, ctx) -> StoreRows.job(rs))
        .list();
  }

  /** Jobs placed on an instance and not finished: the ones holding resources. */
  static List<JobRecord> holding(Handle h) {
    return h.createQuery(
            "SELECT * FROM jobs WHERE status IN (<holding>) AND instance_id IS NOT NULL")
        .defineList("holding", HOLDING)
        .map((rs, ctx) -> StoreRows.job(rs))
        .list();
  }

  static List<JobRecord> activeOnInstance(Handle h, String instanceId) {
    return h.createQuery(
            "SELECT * FROM jobs WHERE instance_id = :instance AND status IN (<active>)")
        .bind("instance", instanceId)
        .defineList("active", ACTIVE)
        .map((rs, ctx) -> StoreRows.job(rs))
        .list();
  }

  static List<JobRecord> onInstance(Handle h, String instanceId) {
    return h.createQuery("SELECT * FROM jobs WHERE instance_id = :instance")
        .bind("instance", instanceId)
        .map((rs, ctx) -> StoreRows.job(rs))
        .list();
  }

  /**
   * Writes a placement only if the job is still queued and unplaced (checked by the UPDATE itself,
   * so a concurrent writer cannot slip in between check and write); returns whether it did.
   */
  static boolean claim(Handle h, JobRecord placed) {
    return h.createUpdate(
                "UPDATE jobs SET status = ?, instance_id = ?, cpus = ?, memory_mb = ?, gpus = ?,"
                    + " gpu_uuids = ?, expected_end = ? WHERE id = ? AND status = ?"
                    + " AND instance_id IS NULL")
            .bind(0, placed.status().name())
            .bind(1, placed.instanceId())
            .bind(2, placed.cpus())
            .bind(3, placed.memoryMb())
            .bind(4, toJson(placed.gpus()))
            .bind(5, toJson(placed.gpuUuids()))
            .bind(6, millis(placed.expectedEnd()))
            .bind(7, placed.id())
            .bind(8, JobStatus.SUBMITTED.name())
            .execute()
        == 1;
  }

  static void save(Handle h, JobRecord job) {
    int updated =
        h.createUpdate(
                "UPDATE jobs SET status = ?, instance_id = ?, cpus = ?, memory_mb = ?, gpus = ?, "
                    + "gpu_uuids = ?, expected_end = ?, exit_status = ?, termination_reason = ?, message = ?, started_at = ?, "
                    + "finished_at = ? WHERE id = ?")
            .bind(0, job.status().name())
            .bind(1, job.instanceId())
            .bind(2, job.cpus())
            .bind(3, job.memoryMb())
            .bind(4, toJson(job.gpus()))
            .bind(5, toJson(job.gpuUuids()))
            .bind(6, millis(job.expectedEnd()))
            .bind(7, job.exitStatus())
            .bind(8, name(job.terminationReason()))
            .bind(9, job.message())
            .bind(10, millis(job.startedAt()))
            .bind(11, millis(job.finishedAt()))
            .bind(12, job.id())
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO jobs (id, run_id, job_num, submission_num, status, instance_id, cpus, memory_mb, "
                  + "gpus, gpu_uuids, expected_end, exit_status, termination_reason, message, submitted_at, started_at, "
                  + "finished_at, deployment_num) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(0, job.id())
          .bind(1, job.runId())
          .bind(2, job.jobNum())
          .bind(3, job.submissionNum())
          .bind(4, job.status().name())
          .bind(5, job.instanceId())
          .bind(6, job.cpus())
          .bind(7, job.memoryMb())
          .bind(8, toJson(job.gpus()))
          .bind(9, toJson(job.gpuUuids()))
          .bind(10, millis(job.expectedEnd()))
          .bind(11, job.exitStatus())
          .bind(12, name(job.terminationReason()))
          .bind(13, job.message())
          .bind(14, millis(job.submittedAt()))
          .bind(15, millis(job.startedAt()))
          .bind(16, millis(job.finishedAt()))
          .bind(17, job.deploymentNum())
          .execute();
    }
  }
}
