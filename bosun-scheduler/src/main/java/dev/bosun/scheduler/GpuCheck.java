package dev.bosun.scheduler;

/**
 * The host must have the GPUs the job needs: matching ones at all (else never), and enough of them
 * that no job holds (else busy). GPUs are never shared between jobs.
 */
final class GpuCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    GpuRequest gpu = demand.gpu();
    if (host.blocks() > 1) {
      // A share comes with its GPUs, whether the job asked for GPUs or not.
      if (demand.gpusOn(host, false) != null) {
        return HostFit.FITS_NOW;
      }
      return demand.gpusOn(host, true) != null ? HostFit.BUSY : HostFit.NEVER_FITS;
    }
    if (!gpu.wantsGpus() || gpu.canSelect(host, false)) {
      return HostFit.FITS_NOW;
    }
    return gpu.canSelect(host, true) ? HostFit.BUSY : HostFit.NEVER_FITS;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    GpuRequest gpu = demand.gpu();
    return new Rejection.GpuShortage(
        gpu.filterText(),
        gpu.filtersByNameOnly(),
        gpu.count(),
        host.gpuCount(),
        gpu.matchingCount(host, false),
        gpu.matchingCount(host, true),
        !gpu.canSelect(host, true));
  }
}
