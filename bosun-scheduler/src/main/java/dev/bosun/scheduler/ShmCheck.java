package dev.bosun.scheduler;

/**
 * {@code shm_size} is memory: {@code /dev/shm} cannot be larger than the host's memory, so a host
 * with less memory in total never fits the job.
 */
final class ShmCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    var shm = demand.spec().shmSize();
    return shm == null || shm.mb() <= host.totalMemoryMb() ? HostFit.FITS_NOW : HostFit.NEVER_FITS;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.ShmTooLarge(demand.spec().shmSize().mb(), host.totalMemoryMb());
  }
}
