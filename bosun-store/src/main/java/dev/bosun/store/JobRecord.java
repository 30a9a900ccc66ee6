package dev.bosun.store;

import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.time.Instant;
import java.util.List;

/**
 * One job of a run. A job is placed when {@code instanceId} is set; its allocation ({@code cpus},
 * {@code memoryMb}, {@code gpus}) holds resources on that instance until the job finishes. {@code
 * deploymentNum} is the configuration of a service it runs (0 for the first; see {@link
 * RunRecord#deploymentNum}).
 */
public record JobRecord(
    String id,
    String runId,
    int jobNum,
    int submissionNum,
    JobStatus status,
    String instanceId,
    Integer cpus,
    Long memoryMb,
    List<Integer> gpus,
    List<String> gpuUuids,
    Instant expectedEnd,
    Integer exitStatus,
    TerminationReason terminationReason,
    String message,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    int deploymentNum) {

  public JobRecord {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    gpuUuids = gpuUuids == null ? List.of() : List.copyOf(gpuUuids);
  }

  public static JobRecord submitted(
      String id, String runId, int jobNum, int submissionNum, Instant at) {
    return submitted(id, runId, jobNum, submissionNum, at, 0);
  }

  /** A queued job of the given deployment of a service. */
  public static JobRecord submitted(
      String id, String runId, int jobNum, int submissionNum, Instant at, int deploymentNum) {
    return new JobRecord(
        id,
        runId,
        jobNum,
        submissionNum,
        JobStatus.SUBMITTED,
        null,
        null,
        null,
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        at,
        null,
        null,
        deploymentNum);
  }

  public boolean holdsResources() {
    return instanceId != null && !status.isFinished();
  }

  public JobRecord placed(
      String instance,
      int cpuCount,
      long memory,
      List<Integer> gpuIndices,
      List<String> uuids,
      Instant expectedEndAt) {
    return new JobRecord(
        id,
        runId,
        jobNum,
        submissionNum,
        JobStatus.PROVISIONING,
        instance,
        cpuCount,
        memory,
        gpuIndices,
        uuids,
        expectedEndAt,
        null,
        null,
        null,
        submittedAt,
        null,
        null,
        deploymentNum);
  }

  public JobRecord withState(
      JobStatus newStatus,
      Integer exit,
      TerminationReason reason,
      String text,
      Instant started,
      Instant finished) {
    return new JobRecord(
        id,
        runId,
        jobNum,
        submissionNum,
        newStatus,
        instanceId,
        cpus,
        memoryMb,
        gpus,
        gpuUuids,
        expectedEnd,
        exit,
        reason,
        text,
        submittedAt,
        started == null ? startedAt : started,
        finished == null ? finishedAt : finished,
        deploymentNum);
  }
}
