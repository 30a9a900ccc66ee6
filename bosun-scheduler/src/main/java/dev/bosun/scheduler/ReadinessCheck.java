package dev.bosun.scheduler;

import java.util.Optional;

/** Only instances that can run jobs, and whose resources are known, take jobs. */
final class ReadinessCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    if (!host.view().status().canRunJobs()) {
      return Optional.of(new Rejection.NotReady(host.view().status()));
    }
    if (host.resources() == null) {
      return Optional.of(new Rejection.NotDetected());
    }
    return Optional.empty();
  }
}
