package dev.bosun.scheduler;

/**
 * A service's replicas listen on the same port of their host, so a host takes a replica only when
 * it holds none of the service's jobs yet ({@link QueuedRun#onePerHost}).
 */
final class SpreadCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    if (demand.spreadRunId() == null) {
      return HostFit.FITS_NOW;
    }
    for (Allocation allocation : host.allocations()) {
      if (allocation.runId().equals(demand.spreadRunId())) {
        return HostFit.NOT_ELIGIBLE;
      }
    }
    return HostFit.FITS_NOW;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.HoldsReplica();
  }
}
