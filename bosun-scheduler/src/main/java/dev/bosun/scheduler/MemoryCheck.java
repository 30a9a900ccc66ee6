package dev.bosun.scheduler;

import java.util.Optional;

/** The host must have the job's memory in total (else never) and free (else busy). */
final class MemoryCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    long needed = demand.memoryMbOn(host.resources());
    if (needed <= host.freeMemoryMb()) {
      return Optional.empty();
    }
    return Optional.of(new Rejection.MemoryShortage(needed, host.freeMemoryMb(), host.totalMemoryMb()));
  }
}
