package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * One host's verdict on one run's job, with every rejection that led to it.
 *
 * @param host the host
 * @param fit the verdict
 * @param rejections what the checks found; empty when the job fits now
 */
record HostAssessment(HostCapacity host, HostFit fit, List<Rejection> rejections) {
  /** The rejections that explain the verdict: for a host that never fits, not also what is busy on it. */
  List<Rejection> explaining() {
    Rejection.Severity shown = switch (fit) {
      case FITS_NOW -> null;
      case BUSY -> Rejection.Severity.BUSY;
      case NEVER_FITS -> Rejection.Severity.NEVER;
      case NOT_ELIGIBLE -> Rejection.Severity.NOT_ELIGIBLE;
    };
    boolean allShown = true;
    for (Rejection rejection : rejections) {
      allShown &= rejection.severity() == shown;
    }
    if (allShown) {
      return rejections;
    }
    List<Rejection> explaining = new ArrayList<>(rejections.size());
    for (Rejection rejection : rejections) {
      if (rejection.severity() == shown) {
        explaining.add(rejection);
      }
    }
    return explaining;
  }

  /** True when the host could take the job now or later. */
  boolean couldFit() {
    return fit == HostFit.FITS_NOW || fit == HostFit.BUSY;
  }
}
