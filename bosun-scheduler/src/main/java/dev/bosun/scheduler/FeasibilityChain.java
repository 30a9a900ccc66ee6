package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * The filter stage: asks every {@link FeasibilityCheck} about a host. Eligibility checks
 * (readiness, fleet) come first and end the chain; then the capacity checks. {@link #evaluate}
 * gives only the verdict, without allocating, for every run and host; {@link #assess} also collects
 * every rejection, so that a reason can name everything a host lacks.
 */
final class FeasibilityChain {
  private final List<FeasibilityCheck> eligibility;
  private final List<FeasibilityCheck> capacity;

  FeasibilityChain(List<FeasibilityCheck> eligibility, List<FeasibilityCheck> capacity) {
    this.eligibility = List.copyOf(eligibility);
    this.capacity = List.copyOf(capacity);
  }

  /**
   * Readiness, fleet, cluster placement and the spread of a service's replicas; then containers,
   * architecture, disk, CPUs, memory, GPUs.
   */
  static FeasibilityChain standard() {
    return new FeasibilityChain(
        List.of(new ReadinessCheck(), new FleetCheck(), new ClusterCheck(), new SpreadCheck()),
        List.of(
            new ContainerCheck(),
            new ArchitectureCheck(),
            new DiskCheck(),
            new CpuCheck(),
            new MemoryCheck(),
            new ShmCheck(),
            new GpuCheck()));
  }

  /** The host's verdict on the job. */
  HostFit evaluate(RunDemand demand, HostCapacity host) {
    for (FeasibilityCheck check : eligibility) {
      if (check.evaluate(demand, host) != HostFit.FITS_NOW) {
        return HostFit.NOT_ELIGIBLE;
      }
    }
    HostFit fit = HostFit.FITS_NOW;
    for (FeasibilityCheck check : capacity) {
      HostFit found = check.evaluate(demand, host);
      if (found == HostFit.NEVER_FITS) {
        return HostFit.NEVER_FITS;
      }
      if (found == HostFit.BUSY) {
        fit = HostFit.BUSY;
      }
    }
    return fit;
  }

  /** The host's verdict on the job, with every rejection behind it. */
  HostAssessment assess(RunDemand demand, HostCapacity host) {
    for (FeasibilityCheck check : eligibility) {
      if (check.evaluate(demand, host) != HostFit.FITS_NOW) {
        return new HostAssessment(host, HostFit.NOT_ELIGIBLE, List.of(check.explain(demand, host)));
      }
    }
    List<Rejection> rejections = new ArrayList<>(2);
    boolean never = false;
    for (FeasibilityCheck check : capacity) {
      HostFit found = check.evaluate(demand, host);
      if (found != HostFit.FITS_NOW) {
        rejections.add(check.explain(demand, host));
        never |= found == HostFit.NEVER_FITS;
      }
    }
    if (never) {
      rejections.removeIf(rejection -> rejection.severity() != Rejection.Severity.NEVER);
    }
    HostFit fit =
        rejections.isEmpty() ? HostFit.FITS_NOW : never ? HostFit.NEVER_FITS : HostFit.BUSY;
    return new HostAssessment(host, fit, List.copyOf(rejections));
  }
}
