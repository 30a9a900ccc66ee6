package dev.bosun.scheduler;

/** The host must have the job's memory in total (else never) and free (else busy). */
final class MemoryCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    long needed = demand.memoryMbOn(host);
    if (needed <= host.freeMemoryMb()) {
      return HostFit.FITS_NOW;
    }
    return needed <= host.totalMemoryMb() ? HostFit.BUSY : HostFit.NEVER_FITS;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.MemoryShortage(
        demand.memoryMbOn(host), host.freeMemoryMb(), host.totalMemoryMb());
  }
}
