package dev.bosun.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * One job placed on one instance, with the exact resources it gets there.
 *
 * @param runId the run
 * @param jobId the job
 * @param instanceId the instance the job runs on
 * @param cpus logical CPUs reserved for the job
 * @param memoryMb memory reserved for the job, in MiB
 * @param gpuIndices the GPUs the job owns, by device index, ascending
 * @param gpuUuids the UUIDs of those GPUs, in the same order
 */
public record Placement(
    String runId,
    String jobId,
    String instanceId,
    int cpus,
    long memoryMb,
    List<Integer> gpuIndices,
    List<String> gpuUuids) {
  public Placement {
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(jobId, "jobId is null");
    Objects.requireNonNull(instanceId, "instanceId is null");
    gpuIndices = List.copyOf(gpuIndices);
    gpuUuids = List.copyOf(gpuUuids);
    if (gpuIndices.size() != gpuUuids.size()) {
      throw new IllegalArgumentException("gpuIndices and gpuUuids differ in length");
    }
  }
}
