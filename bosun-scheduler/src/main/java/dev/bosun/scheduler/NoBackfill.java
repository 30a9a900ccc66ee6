package dev.bosun.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The v1 rule, strict order without backfill: a run that waits holds every host whose total
 * capacity could fit it, and runs after it in the queue may not start on those hosts, however small
 * they are. Hosts it could never use stay open to them, and runs that are unplaceable hold nothing.
 * So a big run is never starved by a stream of small ones, at the price of idle capacity on the
 * held hosts until it starts; backfill with reservations (using {@code max_duration}) will let
 * small runs use that capacity when they cannot delay it.
 */
final class NoBackfill implements QueuePolicy {
  private final Map<String, QueuedRun> holders = new HashMap<>();

  @Override
  public Optional<QueuedRun> holder(QueuedRun run, HostCapacity host) {
    return Optional.ofNullable(holders.get(host.instanceId()));
  }

  @Override
  public void recordWaiting(QueuedRun run, List<HostCapacity> hostsItCouldUse) {
    for (HostCapacity host : hostsItCouldUse) {
      holders.putIfAbsent(host.instanceId(), run);
    }
  }
}
