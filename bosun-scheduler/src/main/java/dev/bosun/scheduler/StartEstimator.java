package dev.bosun.scheduler;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * When a job could start on a busy host: the earliest time at which enough of the host's
 * allocations have ended, per their expected ends, for the job to fit. Unknown when it would need
 * an allocation that has no expected end.
 */
final class StartEstimator {
  /**
   * @param now the current time; an estimate is never earlier (an allocation can outlive its
   *     expected end), or null to not clamp
   * @return the estimated start, or null when unknown
   */
  Instant estimate(RunDemand demand, HostCapacity host, Instant now) {
    List<Allocation> ending =
        host.allocations().stream()
            .filter(allocation -> allocation.expectedEnd() != null)
            .sorted(Comparator.comparing(Allocation::expectedEnd))
            .toList();
    if (ending.isEmpty()) {
      return null;
    }
    HostCapacity future = host.copy();
    for (int i = 0; i < ending.size(); i++) {
      Allocation allocation = ending.get(i);
      future.release(allocation);
      boolean lastAtThisTime =
          i + 1 == ending.size()
              || !ending.get(i + 1).expectedEnd().equals(allocation.expectedEnd());
      if (lastAtThisTime && demand.fitsFreeCapacityOf(future)) {
        Instant end = allocation.expectedEnd();
        return now != null && end.isBefore(now) ? now : end;
      }
    }
    return null;
  }
}
