package dev.bosun.scheduler;

import java.util.Optional;

/** The host must have the job's CPUs in total (else never) and free (else busy). */
final class CpuCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    int needed = demand.cpusOn(host.resources());
    if (needed <= host.freeCpus()) {
      return Optional.empty();
    }
    return Optional.of(new Rejection.CpuShortage(needed, host.freeCpus(), host.totalCpus()));
  }
}
