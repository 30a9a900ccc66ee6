package dev.bosun.api;

import java.time.Instant;
import java.util.List;

/**
 * A job of a run, as the API shows it. Statuses and reasons are lower-case wire names.
 *
 * @param jobNum the node's rank in a multi-node run; the replica's number in a service
 * @param message why the job ended, how far its image pull got, or why a service's replica is not
 *     ready
 * @param ready for a running replica of a service, whether it takes traffic (its probes pass); null
 *     for other jobs
 */
public record JobInfo(
    String id,
    int jobNum,
    int submissionNum,
    String status,
    String fleet,
    String instance,
    Integer cpus,
    Long memoryMb,
    List<Integer> gpus,
    Integer exitStatus,
    String terminationReason,
    String message,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    Boolean ready) {
  /** A job that is not a service's replica. */
  public JobInfo(
      String id,
      int jobNum,
      int submissionNum,
      String status,
      String fleet,
      String instance,
      Integer cpus,
      Long memoryMb,
      List<Integer> gpus,
      Integer exitStatus,
      String terminationReason,
      String message,
      Instant submittedAt,
      Instant startedAt,
      Instant finishedAt) {
    this(
        id,
        jobNum,
        submissionNum,
        status,
        fleet,
        instance,
        cpus,
        memoryMb,
        gpus,
        exitStatus,
        terminationReason,
        message,
        submittedAt,
        startedAt,
        finishedAt,
        null);
  }
}
