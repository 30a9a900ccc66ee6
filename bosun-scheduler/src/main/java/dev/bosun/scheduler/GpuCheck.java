package dev.bosun.scheduler;

import java.util.Optional;

/**
 * The host must have the GPUs the job needs: matching ones at all (else never), and enough of them that no job holds
 * (else busy). GPUs are never shared between jobs.
 */
final class GpuCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    GpuRequest gpu = demand.gpu();
    if (!gpu.wantsGpus() || gpu.select(host, false) != null) {
      return Optional.empty();
    }
    boolean never = gpu.select(host, true) == null;
    return Optional.of(new Rejection.GpuShortage(
        gpu.filterText(),
        gpu.filtersByNameOnly(),
        gpu.count(),
        host.gpuCount(),
        gpu.matchingCount(host, false),
        gpu.matchingCount(host, true),
        never));
  }
}
