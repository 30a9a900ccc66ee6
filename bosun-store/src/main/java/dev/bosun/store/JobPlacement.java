package dev.bosun.store;

import java.time.Instant;
import java.util.List;

/**
 * A placement the scheduler proposes for a queued job, to be verified and committed by the store.
 */
public record JobPlacement(
    String jobId,
    String instanceId,
    int cpus,
    long memoryMb,
    List<Integer> gpus,
    List<String> gpuUuids,
    Instant expectedEnd) {
  public JobPlacement {
    gpus = List.copyOf(gpus);
    gpuUuids = List.copyOf(gpuUuids);
  }
}
