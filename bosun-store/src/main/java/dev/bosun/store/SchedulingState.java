package dev.bosun.store;

import dev.bosun.model.state.RunStatus;
import java.time.Instant;
import java.util.List;

/**
 * What a scheduling pass needs, read in one transaction and nothing more: the instances, the jobs
 * that hold resources, the queued jobs with the few run fields that order the queue, and who
 * submitted each active run (for fair share).
 *
 * @param runUsers the user id of every run that is not finished, by run id
 * @param runProjects the project id of every run that is not finished, by run id
 * @param projects every project's name and fair-share weight, by project id
 * @param fleetShares the projects each shared fleet is shared with, by fleet id
 */
public record SchedulingState(
    List<InstanceRecord> instances,
    List<JobRecord> holding,
    List<QueuedJob> queued,
    java.util.Map<String, String> runUsers,
    java.util.Map<String, String> runProjects,
    java.util.Map<String, ProjectWeight> projects,
    java.util.Map<String, java.util.Set<String>> fleetShares) {

  /** A project's name and fair-share weight. */
  public record ProjectWeight(String name, double weight) {}

  /** A job waiting for placement, with its run's queue fields. */
  public record QueuedJob(
      String runId,
      String projectId,
      String runName,
      RunStatus runStatus,
      int priority,
      Instant submittedAt,
      String jobId) {}

  /**
   * What one finished job used, for fair share.
   *
   * @param gpus GPUs it held
   * @param cpus CPUs it held
   */
  public record Usage(
      String jobId,
      String projectId,
      String userId,
      int gpus,
      int cpus,
      Instant startedAt,
      Instant finishedAt) {}
}
