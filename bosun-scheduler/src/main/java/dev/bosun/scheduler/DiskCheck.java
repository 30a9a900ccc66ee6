package dev.bosun.scheduler;

import java.util.Optional;

/** The host's free disk must cover the run's disk minimum. Disk is not divided between jobs in v1. */
final class DiskCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    long needed = demand.diskMbOn(host.resources());
    long available = host.resources().diskMb();
    return needed <= available ? Optional.empty() : Optional.of(new Rejection.DiskShortage(needed, available));
  }
}
