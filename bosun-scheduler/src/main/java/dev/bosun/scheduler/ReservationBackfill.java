package dev.bosun.scheduler;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backfill with reservations (EASY backfill, extended to every host a waiting run could use): the
 * first waiting run that could use a host reserves it from the time it could start there (the
 * {@link StartEstimator}'s estimate from the expected ends of the jobs on it). A run further back
 * may start on a reserved host now only if it is sure to have ended by then: it has a {@code
 * max_duration} and now + max_duration is not after the reserved start. A run without {@code
 * max_duration}, or a host whose reserved start is unknown (a job there has no expected end), gets
 * no backfill. So backfill never delays a reservation, and a big run at the head is never starved
 * by a stream of small ones.
 */
final class ReservationBackfill implements QueuePolicy {
  private record Reservation(QueuedRun holder, Instant start) {}

  private final Map<String, Reservation> reservations = new HashMap<>();
  private final StartEstimator estimator = new StartEstimator();
  private final Instant now;

  ReservationBackfill(Instant now) {
    this.now = now;
  }

  @Override
  public Optional<QueuedRun> holder(QueuedRun run, HostCapacity host) {
    Reservation reservation = reservations.get(host.instanceId());
    if (reservation == null) {
      return Optional.empty();
    }
    if (run.maxDuration() != null
        && reservation.start() != null
        && !now.plus(run.maxDuration()).isAfter(reservation.start())) {
      return Optional.empty(); // ends before the reservation starts: backfill
    }
    return Optional.of(reservation.holder());
  }

  @Override
  public void recordWaiting(QueuedRun run, RunDemand demand, List<HostCapacity> hostsItCouldUse) {
    for (HostCapacity host : hostsItCouldUse) {
      reservations.computeIfAbsent(
          host.instanceId(),
          id ->
              new Reservation(
                  run,
                  demand.fitsFreeCapacityOf(host) ? now : estimator.estimate(demand, host, now)));
    }
  }

  /** When the run holding the host could start there, or null when unknown or not held. */
  Instant reservedStart(HostCapacity host) {
    Reservation reservation = reservations.get(host.instanceId());
    return reservation == null ? null : reservation.start();
  }
}
