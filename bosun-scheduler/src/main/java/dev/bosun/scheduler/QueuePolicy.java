package dev.bosun.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * What runs that wait do to the runs behind them in one planning pass. The pass asks it, for each
 * host that could start a run's job now, whether a waiting run ahead holds that host for this run
 * ({@link ReservationBackfill}: unless this run surely ends before the holder's reserved start).
 */
interface QueuePolicy {
  /**
   * A policy under which nothing is held: every run sees only the free capacity. Used for previews.
   */
  QueuePolicy NONE =
      new QueuePolicy() {
        @Override
        public Optional<QueuedRun> holder(QueuedRun run, HostCapacity host) {
          return Optional.empty();
        }

        @Override
        public void recordWaiting(
            QueuedRun run, RunDemand demand, List<HostCapacity> hostsItCouldUse) {}
      };

  /**
   * The run ahead that holds the host, so that this run may not start there now; empty when it may.
   */
  Optional<QueuedRun> holder(QueuedRun run, HostCapacity host);

  /** Tells the policy a run is waiting, and which hosts could fit it once free. */
  void recordWaiting(QueuedRun run, RunDemand demand, List<HostCapacity> hostsItCouldUse);
}
