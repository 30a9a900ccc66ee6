package dev.bosun.api.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job as the server hands it to an agent.
 *
 * @param jobId the job's id (idempotency key)
 * @param runName the run's name, for logs and {@code BOSUN_RUN_NAME}
 * @param commands commands joined with {@code &&} and run by {@code shell}
 * @param shell {@code bash}, {@code sh} or an absolute path; null for bash (sh if bash is missing)
 * @param env environment of the job (the agent adds the {@code BOSUN_*} and GPU variables given
 *     here as is)
 * @param workingDir absolute, or relative to the job's own directory; null for the job's own
 *     directory
 * @param gpuIndices the GPUs the job gets (device indices); empty for none
 * @param gpuUuids the same GPUs' UUIDs
 * @param cpus CPUs allocated
 * @param memoryMb memory allocated in MiB
 * @param maxDurationSeconds stop the job after this long, or null for no limit
 * @param stopDurationSeconds grace between SIGTERM and SIGKILL when stopping
 * @param files files the job gets, by environment variable: the agent writes each content to a file
 *     of the job's own directory and sets the variable to its path (e.g. {@code
 *     BOSUN_MPI_HOSTFILE})
 * @param container how to run the job in a Docker container, or null to run it as a process
 * @param inactivityDurationSeconds stop the job once no SSH session has been in it for this long (a
 *     dev environment's {@code inactivity_duration}), or null for never
 */
public record JobSpec(
    String jobId,
    String runName,
    List<String> commands,
    String shell,
    Map<String, String> env,
    String workingDir,
    List<Integer> gpuIndices,
    List<String> gpuUuids,
    int cpus,
    long memoryMb,
    Long maxDurationSeconds,
    long stopDurationSeconds,
    Map<String, String> files,
    JobContainer container,
    Long inactivityDurationSeconds) {
  public JobSpec {
    files = files == null ? Map.of() : Map.copyOf(files);
    commands = List.copyOf(Objects.requireNonNull(commands, "commands is null"));
    env = env == null ? Map.of() : Map.copyOf(env);
    gpuIndices = gpuIndices == null ? List.of() : List.copyOf(gpuIndices);
    gpuUuids = gpuUuids == null ? List.of() : List.copyOf(gpuUuids);
  }

  /** A job that is never stopped for inactivity. */
  public JobSpec(
      String jobId,
      String runName,
      List<String> commands,
      String shell,
      Map<String, String> env,
      String workingDir,
      List<Integer> gpuIndices,
      List<String> gpuUuids,
      int cpus,
      long memoryMb,
      Long maxDurationSeconds,
      long stopDurationSeconds,
      Map<String, String> files,
      JobContainer container) {
    this(
        jobId,
        runName,
        commands,
        shell,
        env,
        workingDir,
        gpuIndices,
        gpuUuids,
        cpus,
        memoryMb,
        maxDurationSeconds,
        stopDurationSeconds,
        files,
        container,
        null);
  }

  /** A job that runs as a process. */
  public JobSpec(
      String jobId,
      String runName,
      List<String> commands,
      String shell,
      Map<String, String> env,
      String workingDir,
      List<Integer> gpuIndices,
      List<String> gpuUuids,
      int cpus,
      long memoryMb,
      Long maxDurationSeconds,
      long stopDurationSeconds,
      Map<String, String> files) {
    this(
        jobId,
        runName,
        commands,
        shell,
        env,
        workingDir,
        gpuIndices,
        gpuUuids,
        cpus,
        memoryMb,
        maxDurationSeconds,
        stopDurationSeconds,
        files,
        null);
  }

  /** A job without files. */
  public JobSpec(
      String jobId,
      String runName,
      List<String> commands,
      String shell,
      Map<String, String> env,
      String workingDir,
      List<Integer> gpuIndices,
      List<String> gpuUuids,
      int cpus,
      long memoryMb,
      Long maxDurationSeconds,
      long stopDurationSeconds) {
    this(
        jobId,
        runName,
        commands,
        shell,
        env,
        workingDir,
        gpuIndices,
        gpuUuids,
        cpus,
        memoryMb,
        maxDurationSeconds,
        stopDurationSeconds,
        null,
        null);
  }
}
