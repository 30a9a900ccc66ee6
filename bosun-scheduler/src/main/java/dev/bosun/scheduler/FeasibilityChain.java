package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The filter stage: runs every {@link FeasibilityCheck} against a host and turns what they find into a
 * {@link HostAssessment}. Eligibility checks come first and end the chain; all capacity checks run, so a reason can
 * name everything a host lacks.
 */
final class FeasibilityChain {
  private final List<FeasibilityCheck> checks;

  FeasibilityChain(List<FeasibilityCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Readiness, fleet, architecture, disk, CPUs, memory, GPUs. */
  static FeasibilityChain standard() {
    return new FeasibilityChain(List.of(
        new ReadinessCheck(),
        new FleetCheck(),
        new ArchitectureCheck(),
        new DiskCheck(),
        new CpuCheck(),
        new MemoryCheck(),
        new GpuCheck()));
  }

  HostAssessment assess(RunDemand demand, HostCapacity host) {
    List<Rejection> rejections = List.of();
    boolean never = false;
    for (FeasibilityCheck check : checks) {
      Optional<Rejection> found = check.check(demand, host);
      if (found.isEmpty()) {
        continue;
      }
      Rejection rejection = found.get();
      if (rejection.severity() == Rejection.Severity.NOT_ELIGIBLE) {
        return new HostAssessment(host, HostFit.NOT_ELIGIBLE, List.of(rejection));
      }
      if (rejections.isEmpty()) {
        rejections = new ArrayList<>(2);
      }
      rejections.add(rejection);
      never |= rejection.severity() == Rejection.Severity.NEVER;
    }
    HostFit fit = rejections.isEmpty() ? HostFit.FITS_NOW : never ? HostFit.NEVER_FITS : HostFit.BUSY;
    return new HostAssessment(host, fit, rejections);
  }
}
