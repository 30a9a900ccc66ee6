package dev.bosun.scheduler;

/**
 * One question asked of a host about a run's job, such as "does it have enough CPUs?". Asking is
 * split in two: {@link #evaluate} runs for every run and host, so it must be cheap and must not
 * allocate; {@link #explain} builds the reason, and runs only when a reason will be shown. Capacity
 * checks may assume the host's resources are known, since the eligibility checks run first.
 */
interface FeasibilityCheck {
  /**
   * How the host fares on this check: {@link HostFit#FITS_NOW} when it passes, {@link HostFit#BUSY}
   * when it would pass once other jobs end, {@link HostFit#NEVER_FITS} when it could not pass even
   * empty, {@link HostFit#NOT_ELIGIBLE} when the host may not take the run at all.
   */
  HostFit evaluate(RunDemand demand, HostCapacity host);

  /**
   * Why the host fails this check; called only when {@link #evaluate} did not return {@link
   * HostFit#FITS_NOW}.
   */
  Rejection explain(RunDemand demand, HostCapacity host);
}
