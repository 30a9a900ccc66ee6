package dev.bosun.api.agent;

import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.time.Instant;

/**
 * A job as its agent sees it.
 *
 * @param jobId the job's id
 * @param status {@code running}, {@code terminating}, or a terminal status
 * @param version increases (agent-wide) on every change; see {@link JobChanges}
 * @param pid the process group leader's pid while running
 * @param exitStatus the command's exit status once finished, if known
 * @param terminationReason set once finished
 * @param message a human sentence about the end (e.g. "exited with status 3"), may be null
 * @param startedAt when the process started
 * @param finishedAt when it ended
 * @param ports for a job in a container on a bridge network, the port on the host's loopback that
 *     each of its published ports is bound to (Docker picks them, so that several such jobs may
 *     listen on the same port); empty otherwise
 */
public record JobState(
    String jobId,
    JobStatus status,
    long version,
    Long pid,
    Integer exitStatus,
    TerminationReason terminationReason,
    String message,
    Instant startedAt,
    Instant finishedAt,
    java.util.Map<Integer, Integer> ports) {
  public JobState {
    ports = ports == null ? java.util.Map.of() : java.util.Map.copyOf(ports);
  }
}
