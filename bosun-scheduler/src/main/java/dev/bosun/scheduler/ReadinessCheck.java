package dev.bosun.scheduler;

/** Only instances that can run jobs, and whose resources are known, take jobs. */
final class ReadinessCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    return host.view().status().canRunJobs() && host.resources() != null
        ? HostFit.FITS_NOW
        : HostFit.NOT_ELIGIBLE;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return host.view().status().canRunJobs()
        ? new Rejection.NotDetected()
        : new Rejection.NotReady(host.view().status());
  }
}
