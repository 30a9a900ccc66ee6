package dev.bosun.scheduler;

/** A run that lists fleets only goes to instances of those fleets. */
final class FleetCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    boolean inFleets =
        demand.fleets().isEmpty() || demand.fleets().contains(host.view().fleetName());
    return inFleets ? HostFit.FITS_NOW : HostFit.NOT_ELIGIBLE;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.OutsideFleets(host.view().fleetName());
  }
}
