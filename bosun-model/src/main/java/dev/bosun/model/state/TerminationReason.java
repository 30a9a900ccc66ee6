package dev.bosun.model.state;

/**
 * Why a job or run reached a terminal state. The closed set says who set it (user, server or agent)
 * and how the CLI words it.
 */
public enum TerminationReason {
  DONE_BY_AGENT(Actor.AGENT, JobStatus.DONE, "finished successfully"),
  CONTAINER_EXITED_WITH_ERROR(Actor.AGENT, JobStatus.FAILED, "the command exited with an error"),
  EXECUTOR_ERROR(Actor.AGENT, JobStatus.FAILED, "the agent could not start the command"),
  CREATING_CONTAINER_ERROR(
      Actor.AGENT, JobStatus.FAILED, "the agent could not pull the image or create the container"),
  PORTS_BINDING_FAILED(Actor.AGENT, JobStatus.FAILED, "a port of the job is taken on the host"),
  VOLUME_ERROR(Actor.AGENT, JobStatus.FAILED, "a volume of the job could not be mounted"),
  MAX_DURATION_EXCEEDED(Actor.AGENT, JobStatus.TERMINATED, "stopped after reaching max_duration"),
  STOPPED_BY_USER(Actor.USER, JobStatus.TERMINATED, "stopped by the user"),
  ABORTED_BY_USER(Actor.USER, JobStatus.ABORTED, "aborted by the user"),
  AGENT_LOST(Actor.SERVER, JobStatus.FAILED, "the agent lost track of the job's process"),
  INSTANCE_UNREACHABLE(Actor.SERVER, JobStatus.FAILED, "the host running it became unreachable"),
  FAILED_TO_START_DUE_TO_NO_CAPACITY(
      Actor.SERVER, JobStatus.FAILED, "no host can ever fit its resources"),
  INTERRUPTED(Actor.SERVER, JobStatus.FAILED, "the host was interrupted"),
  RETRY_LIMIT_EXCEEDED(Actor.SERVER, JobStatus.FAILED, "failed and ran out of retries"),
  SCALED_DOWN(Actor.SERVER, JobStatus.TERMINATED, "scaled down"),
  GANG_MEMBER_FAILED(
      Actor.SERVER, JobStatus.TERMINATED, "stopped because another job of the run ended"),
  MASTER_JOB_DONE(
      Actor.SERVER, JobStatus.TERMINATED, "stopped because the master job finished (master-done)"),
  PREEMPTED(
      Actor.SERVER, JobStatus.TERMINATED, "stopped to make room for a run of higher priority"),
  INACTIVITY_DURATION_EXCEEDED(
      Actor.AGENT,
      JobStatus.TERMINATED,
      "stopped after no one was connected for its inactivity_duration"),
  TERMINATED_DUE_TO_UTILIZATION_POLICY(
      Actor.SERVER, JobStatus.TERMINATED, "stopped by its utilization_policy"),
  SERVER_ERROR(Actor.SERVER, JobStatus.FAILED, "an internal server error");

  /** Who decided the termination. */
  public enum Actor {
    USER,
    SERVER,
    AGENT
  }

  private final Actor actor;
  private final JobStatus jobStatus;
  private final String description;

  TerminationReason(Actor actor, JobStatus jobStatus, String description) {
    this.actor = actor;
    this.jobStatus = jobStatus;
    this.description = description;
  }

  public Actor actor() {
    return actor;
  }

  /** The terminal job status that this reason leads to. */
  public JobStatus jobStatus() {
    return jobStatus;
  }

  /** The reason in words, for {@code bosun ps}. */
  public String description() {
    return description;
  }

  public String wireName() {
    return name().toLowerCase();
  }

  /** The run status that a run whose (last) job ended for this reason takes. */
  public RunStatus runStatus() {
    return switch (jobStatus) {
      case DONE -> RunStatus.DONE;
      case FAILED -> RunStatus.FAILED;
      default -> RunStatus.TERMINATED;
    };
  }
}
