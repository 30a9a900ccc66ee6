package dev.bosun.scheduler;

/**
 * The host's free disk must cover the run's disk minimum. Disk is not divided between jobs in v1.
 */
final class DiskCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    return demand.diskMbOn(host.resources()) <= host.resources().diskMb()
        ? HostFit.FITS_NOW
        : HostFit.NEVER_FITS;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.DiskShortage(demand.diskMbOn(host.resources()), host.resources().diskMb());
  }
}
