package dev.bosun.scheduler;

/** The host must have the job's CPUs in total (else never) and free (else busy). */
final class CpuCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    int needed = demand.cpusOn(host);
    if (needed <= host.freeCpus()) {
      return HostFit.FITS_NOW;
    }
    return needed <= host.totalCpus() ? HostFit.BUSY : HostFit.NEVER_FITS;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.CpuShortage(demand.cpusOn(host), host.freeCpus(), host.totalCpus());
  }
}
