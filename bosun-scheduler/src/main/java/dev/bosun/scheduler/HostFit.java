package dev.bosun.scheduler;

/** How one host relates to one run's needs. */
public enum HostFit {
  /** The host has enough free capacity to start the run's job now. */
  FITS_NOW,
  /** The host could fit the job when empty, but other jobs hold what it needs. */
  BUSY,
  /** The host could not fit the job even when empty. */
  NEVER_FITS,
  /** The host cannot take the run at all: not ready, or outside the run's fleets. */
  NOT_ELIGIBLE
}
