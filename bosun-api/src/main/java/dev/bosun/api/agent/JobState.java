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
    Instant finishedAt) {}
