package dev.bosun.store;

import dev.bosun.model.state.RunStatus;
import java.time.Instant;
import java.util.List;

/**
 * What a scheduling pass needs, read in one transaction and nothing more: the instances, the jobs
 * that hold resources, and the queued jobs with the few run fields that order the queue.
 */
public record SchedulingState(
    List<InstanceRecord> instances, List<JobRecord> holding, List<QueuedJob> queued) {

  /** A job waiting for placement, with its run's queue fields. */
  public record QueuedJob(
      String runId,
      String projectId,
      String runName,
      RunStatus runStatus,
      int priority,
      Instant submittedAt,
      String jobId) {}
}
