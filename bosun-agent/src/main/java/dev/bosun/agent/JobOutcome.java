package dev.bosun.agent;

import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.util.Objects;

/**
 * How a job ended, decided from what was asked of it and what its wrapper recorded.
 *
 * @param status the terminal status
 * @param exitStatus the command's exit status, when recorded
 * @param reason the termination reason
 * @param message a sentence for people, may be null
 */
record JobOutcome(JobStatus status, Integer exitStatus, TerminationReason reason, String message) {
  JobOutcome {
    Objects.requireNonNull(status, "status is null");
    Objects.requireNonNull(reason, "reason is null");
    if (!status.isFinished()) {
      throw new IllegalArgumentException("an outcome needs a terminal status, got " + status);
    }
  }

  /**
   * @param stopReason why the job was asked to stop, or null if it was not
   * @param exitStatus the exit status its wrapper recorded, or null if there is none
   * @param noExitStatusMessage what to say when the process left no exit status
   */
  static JobOutcome of(
      TerminationReason stopReason, Integer exitStatus, String noExitStatusMessage) {
    if (stopReason != null) {
      return new JobOutcome(
          stopReason.jobStatus(), exitStatus, stopReason, stopReason.description());
    }
    if (exitStatus == null) {
      return new JobOutcome(
          JobStatus.FAILED, null, TerminationReason.AGENT_LOST, noExitStatusMessage);
    }
    if (exitStatus == 0) {
      return new JobOutcome(JobStatus.DONE, 0, TerminationReason.DONE_BY_AGENT, null);
    }
    return new JobOutcome(
        JobStatus.FAILED,
        exitStatus,
        TerminationReason.CONTAINER_EXITED_WITH_ERROR,
        "exited with status " + exitStatus);
  }

  static JobOutcome failedToStart(String message) {
    return failedToStart(TerminationReason.EXECUTOR_ERROR, message);
  }

  static JobOutcome failedToStart(TerminationReason reason, String message) {
    return new JobOutcome(JobStatus.FAILED, null, reason, message);
  }
}
