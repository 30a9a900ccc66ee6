package dev.bosun.server.fleet.hosts;

import dev.bosun.api.FleetDeletion;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.store.FleetRecord;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting fleets as {@code kubectl drain} does: the fleet becomes {@code draining} (the scheduler
 * places nothing new there), and once no job runs on its hosts they are removed and the fleet is
 * {@code deleted}. With {@code force} its runs are stopped gracefully first; jobs whose agents
 * never confirm the stop (a host gone for good) are given up after {@link #FORCE_GRACE}. The state
 * lives in the store, so a restarted server finishes a drain it had started.
 */
final class FleetDrains implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetDrains.class);
  static final Duration FORCE_GRACE = Duration.ofSeconds(90);
  private static final long CHECK_MILLIS = 500;

  private final Store store;
  private final RunLifecycle lifecycle;
  private final Consumer<String> stopRun;
  private final Consumer<List<InstanceRecord>> removeHosts;
  private final Map<String, Instant> forcedUntil = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private volatile boolean running = true;
  private Thread watcher;

  /**
   * @param stopRun stops a run gracefully by id (its jobs get their {@code stop_duration})
   * @param removeHosts stops the agents of these hosts and removes what Bosun installed, returning
   *     when done
   */
  FleetDrains(
      Store store,
      RunLifecycle lifecycle,
      Consumer<String> stopRun,
      Consumer<List<InstanceRecord>> removeHosts) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.stopRun = stopRun;
    this.removeHosts = removeHosts;
  }

  synchronized void start() {
    if (watcher == null) {
      watcher = Thread.ofVirtual().name("fleet-drains").start(this::loop);
    }
  }

  /** Starts deleting a fleet; returns at once with how many jobs it waits for. */
  FleetDeletion delete(FleetRecord fleet, boolean force) {
    store.updateFleetStatus(fleet.id(), FleetStatus.DRAINING);
    List<JobRecord> jobs = jobsOn(fleet.id());
    LOG.info(
        "fleet {}: deleting{}; {} job(s) run there",
        fleet.name(),
        force ? " (force)" : "",
        jobs.size());
    if (force) {
      forcedUntil.put(fleet.id(), Instant.now().plus(FORCE_GRACE));
      jobs.stream().map(JobRecord::runId).distinct().forEach(stopRun);
    }
    synchronized (signal) {
      signal.notifyAll();
    }
    return new FleetDeletion(fleet.name(), jobs.isEmpty() ? "deleting" : "draining", jobs.size());
  }

  private List<JobRecord> jobsOn(String fleetId) {
    List<String> hosts =
        store.instances().stream()
            .filter(i -> i.fleetId().equals(fleetId))
            .map(InstanceRecord::id)
            .toList();
    return store.activeJobs().stream()
        .filter(j -> j.instanceId() != null && hosts.contains(j.instanceId()))
        .toList();
  }

  private void loop() {
    while (running) {
      try {
        finishDrains();
      } catch (RuntimeException e) {
        LOG.error("draining fleets failed; retrying", e);
      }
      synchronized (signal) {
        try {
          signal.wait(CHECK_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Deletes each draining fleet whose hosts run no job any more. */
  void finishDrains() {
    Map<String, List<InstanceRecord>> draining =
        store.instances().stream()
            .filter(i -> i.fleetStatus() == FleetStatus.DRAINING)
            .collect(Collectors.groupingBy(InstanceRecord::fleetId));
    for (Map.Entry<String, List<InstanceRecord>> fleet : draining.entrySet()) {
      List<JobRecord> jobs = jobsOn(fleet.getKey());
      Instant forced = forcedUntil.get(fleet.getKey());
      if (!jobs.isEmpty() && forced != null && Instant.now().isAfter(forced)) {
        for (JobRecord job : jobs) {
          lifecycle.onJobLost(
              job.id(),
              TerminationReason.ABORTED_BY_USER,
              "its fleet was deleted with --force and its agent did not confirm the stop");
        }
        jobs = List.of();
      }
      if (!jobs.isEmpty()) {
        continue;
      }
      List<InstanceRecord> hosts =
          fleet.getValue().stream().filter(i -> i.status() != InstanceStatus.TERMINATED).toList();
      LOG.info("fleet {}: no job left; removing {} host(s)", fleetName(fleet), hosts.size());
      removeHosts.accept(hosts);
      store.updateFleetStatus(fleet.getKey(), FleetStatus.DELETED);
      forcedUntil.remove(fleet.getKey());
      LOG.info("fleet {}: deleted", fleetName(fleet));
    }
  }

  private static String fleetName(Map.Entry<String, List<InstanceRecord>> fleet) {
    return fleet.getValue().getFirst().fleetName();
  }

  @Override
  public void close() {
    running = false;
    if (watcher != null) {
      watcher.interrupt();
    }
  }
}
