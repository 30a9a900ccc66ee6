package dev.bosun.scheduler;

import dev.bosun.model.resources.ResourcesSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run waiting for placement.
 *
 * @param runId the run id
 * @param runName the run name, used in reasons
 * @param priority higher runs first (0–100 in configurations)
 * @param submittedAt when the run was submitted; older runs go first within a priority
 * @param resources what each job of the run needs
 * @param fleets fleet names the run may use; empty for any
 * @param jobIds the run's jobs, one per host; all are placed together or none is
 * @param maxDuration the run's {@code max_duration}, or null when unlimited; it tells when a placed
 *     job will have ended, for start estimates and backfill
 * @param project the project the run belongs to, for fair share ({@code ""} when not shared)
 * @param user the user who submitted it, for fair share inside the project
 * @param preemptible whether a waiting run of higher priority may stop it to make room
 * @param container whether its jobs run in containers: only hosts whose Docker can run them (and,
 *     for GPU jobs, pass GPUs) take them
 * @param onePerHost whether a host may hold only one job of the run: the replicas of a service,
 *     which listen on the same port of their host, go to hosts that hold none of the run's jobs
 */
public record QueuedRun(
    String runId,
    String runName,
    int priority,
    Instant submittedAt,
    ResourcesSpec resources,
    List<String> fleets,
    List<String> jobIds,
    Duration maxDuration,
    String project,
    String user,
    boolean preemptible,
    boolean container,
    boolean onePerHost) {
  public QueuedRun {
    Objects.requireNonNull(project, "project is null");
    Objects.requireNonNull(user, "user is null");
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(runName, "runName is null");
    Objects.requireNonNull(submittedAt, "submittedAt is null");
    Objects.requireNonNull(resources, "resources is null");
    fleets = List.copyOf(fleets);
    jobIds = List.copyOf(jobIds);
    if (jobIds.isEmpty()) {
      throw new IllegalArgumentException("run " + runId + " has no jobs");
    }
    if (jobIds.stream().distinct().count() != jobIds.size()) {
      throw new IllegalArgumentException("run " + runId + " lists a job twice: " + jobIds);
    }
    if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
      throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
    }
  }

  /** A run that is not a service's: its hosts may hold several of its jobs. */
  public QueuedRun(
      String runId,
      String runName,
      int priority,
      Instant submittedAt,
      ResourcesSpec resources,
      List<String> fleets,
      List<String> jobIds,
      Duration maxDuration,
      String project,
      String user,
      boolean preemptible,
      boolean container) {
    this(
        runId,
        runName,
        priority,
        submittedAt,
        resources,
        fleets,
        jobIds,
        maxDuration,
        project,
        user,
        preemptible,
        container,
        false);
  }

  /** A run whose jobs run as processes. */
  public QueuedRun(
      String runId,
      String runName,
      int priority,
      Instant submittedAt,
      ResourcesSpec resources,
      List<String> fleets,
      List<String> jobIds,
      Duration maxDuration,
      String project,
      String user,
      boolean preemptible) {
    this(
        runId,
        runName,
        priority,
        submittedAt,
        resources,
        fleets,
        jobIds,
        maxDuration,
        project,
        user,
        preemptible,
        false);
  }

  /** A run of the default project and user, not preemptible. */
  public QueuedRun(
      String runId,
      String runName,
      int priority,
      Instant submittedAt,
      ResourcesSpec resources,
      List<String> fleets,
      List<String> jobIds,
      Duration maxDuration) {
    this(
        runId,
        runName,
        priority,
        submittedAt,
        resources,
        fleets,
        jobIds,
        maxDuration,
        "",
        "",
        false,
        false);
  }

  /** A run without {@code max_duration}. */
  public QueuedRun(
      String runId,
      String runName,
      int priority,
      Instant submittedAt,
      ResourcesSpec resources,
      List<String> fleets,
      List<String> jobIds) {
    this(runId, runName, priority, submittedAt, resources, fleets, jobIds, null);
  }

  /** Whether its jobs must be placed together on hosts of one cluster fleet. */
  public boolean isGang() {
    return jobIds.size() > 1;
  }
}
