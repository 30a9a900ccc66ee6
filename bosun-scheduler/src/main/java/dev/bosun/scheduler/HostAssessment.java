package dev.bosun.scheduler;

import java.util.List;

/**
 * One host's verdict on one run's job, with the rejections that explain it: for a host that never
 * fits, only what it could never give, not also what is busy on it.
 *
 * @param host the host
 * @param fit the verdict
 * @param rejections what explains the verdict; empty when the job fits now
 */
record HostAssessment(HostCapacity host, HostFit fit, List<Rejection> rejections) {
  /** True when the host could take the job now or later. */
  boolean couldFit() {
    return fit == HostFit.FITS_NOW || fit == HostFit.BUSY;
  }
}
