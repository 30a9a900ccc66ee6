package dev.bosun.scheduler;

import java.util.Optional;

/** A run that lists fleets only goes to instances of those fleets. */
final class FleetCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    String fleet = host.view().fleetName();
    if (demand.fleets().isEmpty() || demand.fleets().contains(fleet)) {
      return Optional.empty();
    }
    return Optional.of(new Rejection.OutsideFleets(fleet));
  }
}
