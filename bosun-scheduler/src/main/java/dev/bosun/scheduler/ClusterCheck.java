package dev.bosun.scheduler;

/**
 * The jobs of a multi-node run go only to hosts of fleets with {@code placement: cluster}, whose
 * hosts reach each other on their internal IPs.
 */
final class ClusterCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    return demand.nodes() <= 1 || host.view().clusterFleet()
        ? HostFit.FITS_NOW
        : HostFit.NOT_ELIGIBLE;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.NotCluster(host.view().fleetName());
  }
}
