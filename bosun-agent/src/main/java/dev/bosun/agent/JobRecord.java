package dev.bosun.agent;

import dev.bosun.api.agent.JobSpec;
import dev.bosun.api.agent.JobState;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.time.Instant;
import java.util.Objects;

/**
 * What the agent keeps about one job in {@code job.json}: enough to answer for it and to recover it
 * after a restart.
 *
 * @param spec the job as submitted
 * @param state the job's current state
 * @param processStartTicks the start time of the wrapper process ({@code /proc/<pid>/stat} field
 *     22), to tell it from a later process that reuses its pid
 * @param stopReason why the job is being stopped, once a stop was asked for
 * @param killAt when the process group gets SIGKILL if it is still alive, once a stop was asked for
 * @param containerId the job's Docker container once created, for a job that runs in one
 */
record JobRecord(
    JobSpec spec,
    JobState state,
    Long processStartTicks,
    TerminationReason stopReason,
    Instant killAt,
    String containerId) {
  JobRecord {
    Objects.requireNonNull(spec, "spec is null");
    Objects.requireNonNull(state, "state is null");
  }

  /**
   * A job accepted but not started yet; version 0 keeps it out of change polls until it starts or
   * fails.
   */
  static JobRecord submitted(JobSpec spec) {
    return new JobRecord(
        spec,
        new JobState(
            spec.jobId(), JobStatus.SUBMITTED, 0, null, null, null, null, null, null, null),
        null,
        null,
        null,
        null);
  }

  JobRecord withVersion(long version) {
    JobState s = state;
    return withState(
        new JobState(
            s.jobId(),
            s.status(),
            version,
            s.pid(),
            s.exitStatus(),
            s.terminationReason(),
            s.message(),
            s.startedAt(),
            s.finishedAt(),
            s.ports()));
  }

  /**
   * @param ports the host ports of a bridge container's published ports (see {@link
   *     JobState#ports})
   */
  JobRecord started(
      long pid, Long startTicks, Instant startedAt, java.util.Map<Integer, Integer> ports) {
    JobState s =
        new JobState(
            state.jobId(),
            JobStatus.RUNNING,
            state.version(),
            pid,
            null,
            null,
            null,
            startedAt,
            null,
            ports);
    return new JobRecord(spec, s, startTicks, null, null, containerId);
  }

  /** The job's image is being pulled (and its container created); {@code progress} in words. */
  JobRecord pulling(String progress) {
    JobState s = state;
    return withState(
        new JobState(
            s.jobId(),
            JobStatus.PULLING,
            s.version(),
            null,
            null,
            null,
            progress,
            null,
            null,
            null));
  }

  /** The job's container exists (created, maybe not started yet). */
  JobRecord withContainer(String id) {
    return new JobRecord(spec, state, processStartTicks, stopReason, killAt, id);
  }

  JobRecord stopping(TerminationReason reason, Instant newKillAt) {
    JobState s = state;
    JobState terminating =
        new JobState(
            s.jobId(),
            JobStatus.TERMINATING,
            s.version(),
            s.pid(),
            null,
            null,
            null,
            s.startedAt(),
            null,
            s.ports());
    return new JobRecord(spec, terminating, processStartTicks, reason, newKillAt, containerId);
  }

  JobRecord finished(JobOutcome outcome, Instant finishedAt) {
    JobState s = state;
    return withState(
        new JobState(
            s.jobId(),
            outcome.status(),
            s.version(),
            null,
            outcome.exitStatus(),
            outcome.reason(),
            outcome.message(),
            s.startedAt(),
            finishedAt,
            null));
  }

  private JobRecord withState(JobState newState) {
    return new JobRecord(spec, newState, processStartTicks, stopReason, killAt, containerId);
  }
}
