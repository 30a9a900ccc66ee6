package dev.bosun.scheduler;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Resources a job holds on a host: what the scheduler subtracts from the host's totals to get its
 * free capacity.
 *
 * @param jobId the job holding the resources
 * @param runId the run the job belongs to
 * @param cpus logical CPUs reserved for the job
 * @param memoryMb memory reserved for the job, in MiB
 * @param gpuIndices device indices ({@code nvidia-smi} numbering) the job owns exclusively
 * @param expectedEnd when the job will have ended at the latest (from its {@code max_duration}), or
 *     null if unknown
 */
public record Allocation(
    String jobId,
    String runId,
    int cpus,
    long memoryMb,
    List<Integer> gpuIndices,
    Instant expectedEnd) {
  public Allocation {
    Objects.requireNonNull(jobId, "jobId is null");
    Objects.requireNonNull(runId, "runId is null");
    if (cpus < 0) {
      throw new IllegalArgumentException("cpus must not be negative: " + cpus);
    }
    if (memoryMb < 0) {
      throw new IllegalArgumentException("memoryMb must not be negative: " + memoryMb);
    }
    gpuIndices = List.copyOf(gpuIndices);
  }
}
