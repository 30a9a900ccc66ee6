package dev.bosun.scheduler;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backfill with reservations (conservative backfill): every waiting run reserves each host it could
 * use from the time it could start there (the {@link StartEstimator}'s estimate from the expected
 * ends of the jobs on it). A run further back may start on a reserved host now only if it is sure
 * to have ended before every reservation there: it has a {@code max_duration} and now +
 * max_duration is not after any reserved start. A run without {@code max_duration}, or a host where
 * a reserved start is unknown (a job there has no expected end), gets no backfill. So backfill
 * never delays a waiting run's estimated start, and a big run at the head is never starved by a
 * stream of small ones.
 */
final class ReservationBackfill implements QueuePolicy {
  /**
   * The reservations on one host, as much as backfill needs: the first run that reserved it (named
   * in reasons), the earliest reserved start, and whether some reserved start is unknown.
   */
  private static final class Reserved {
    final QueuedRun first;
    Instant earliest;
    boolean unknown;

    Reserved(QueuedRun first) {
      this.first = first;
    }
  }

  private final Map<String, Reserved> reservations = new HashMap<>();
  private final StartEstimator estimator = new StartEstimator();
  private final Instant now;

  ReservationBackfill(Instant now) {
    this.now = now;
  }

  @Override
  public Optional<QueuedRun> holder(QueuedRun run, HostCapacity host) {
    Reserved reserved = reservations.get(host.instanceId());
    if (reserved == null) {
      return Optional.empty();
    }
    boolean endsBefore =
        run.maxDuration() != null
            && !reserved.unknown
            && !now.plus(run.maxDuration()).isAfter(reserved.earliest);
    return endsBefore ? Optional.empty() : Optional.of(reserved.first);
  }

  @Override
  public void recordWaiting(QueuedRun run, RunDemand demand, List<HostCapacity> hostsItCouldUse) {
    for (HostCapacity host : hostsItCouldUse) {
      Instant start = demand.fitsFreeCapacityOf(host) ? now : estimator.estimate(demand, host, now);
      Reserved reserved = reservations.computeIfAbsent(host.instanceId(), id -> new Reserved(run));
      if (start == null) {
        reserved.unknown = true;
      } else if (reserved.earliest == null || start.isBefore(reserved.earliest)) {
        reserved.earliest = start;
      }
    }
  }
}
