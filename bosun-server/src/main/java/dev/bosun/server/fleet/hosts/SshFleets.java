package dev.bosun.server.fleet.hosts;

import dev.bosun.api.FleetApplyRequest;
import dev.bosun.api.FleetDeletion;
import dev.bosun.api.FleetPlan;
import dev.bosun.api.Json;
import dev.bosun.model.config.Blocks;
import dev.bosun.model.config.Configuration;
import dev.bosun.model.config.ConfigurationParser;
import dev.bosun.model.config.FleetConfiguration;
import dev.bosun.model.config.FleetPlacement;
import dev.bosun.model.config.SshHostSpec;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.server.fleet.ssh.HostKeyPolicy;
import dev.bosun.server.fleet.ssh.SshConnector;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.store.FleetRecord;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSH fleets: applying a fleet file (hosts added, kept, re-provisioned or removed), following each
 * host through its {@link SshAgentLocator}, reconnecting them after a server restart, and deleting
 * fleets.
 */
public final class SshFleets implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SshFleets.class);

  private final Store store;
  private final AgentConnections connections;
  private final BiConsumer<InstanceRecord, SshAgentLocator> follow;
  private final RunLifecycle lifecycle;
  private final SshConnector connector = new SshConnector();
  private final Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  private final FleetDrains drains;
  private final Consumer<String> archiveLogs;
  private AgentJar jar;

  /**
   * @param stopRun stops a run gracefully by id, for {@code fleet delete --force}
   * @param archiveLogs copies the logs of every job of an instance to the server, before it leaves
   * @param follow starts an agent connection for an instance with its locator (the server wires it
   *     to the run lifecycle, scheduler and dispatcher)
   */
  public SshFleets(
      Store store,
      AgentConnections connections,
      RunLifecycle lifecycle,
      Consumer<String> stopRun,
      Consumer<String> archiveLogs,
      BiConsumer<InstanceRecord, SshAgentLocator> follow) {
    this.archiveLogs = archiveLogs;
    this.store = store;
    this.lifecycle = lifecycle;
    this.connections = connections;
    this.follow = follow;
    this.drains = new FleetDrains(store, lifecycle, stopRun, this::removeAll);
  }

  public FleetPlan plan(ProjectRecord project, FleetApplyRequest request) {
    FleetConfiguration fleet = parse(request);
    List<FleetPlan.HostChange> changes = new ArrayList<>();
    Map<String, InstanceRecord> existing = existingHosts(project, fleet.name());
    for (Map.Entry<String, HostSettings> host : settings(fleet, request).entrySet()) {
      InstanceRecord current = existing.remove(host.getKey());
      String action =
          current == null ? "add" : sameSettings(current, host.getValue()) ? "keep" : "update";
      changes.add(
          new FleetPlan.HostChange(
              host.getKey(), action, current == null ? null : current.status().wireName()));
    }
    existing.forEach(
        (name, instance) ->
            changes.add(new FleetPlan.HostChange(name, "remove", instance.status().wireName())));
    return new FleetPlan(project.name(), fleet.name(), changes);
  }

  /** Saves the fleet and starts provisioning new or changed hosts in parallel; returns its name. */
  public synchronized String apply(ProjectRecord project, FleetApplyRequest request) {
    FleetConfiguration fleet = parse(request);
    store
        .fleet(project.id(), fleet.name())
        .filter(f -> f.status() == FleetStatus.DRAINING)
        .ifPresent(
            f -> {
              throw new BosunException(
                  ErrorCode.INVALID_REQUEST,
                  "fleet '"
                      + f.name()
                      + "' is being deleted; apply it again once `bosun fleet` no longer lists it"
                      + " (or delete it with --force to stop its runs now)");
            });
    AgentJar agentJar = agentJar();
    Map<String, HostSettings> wanted = settings(fleet, request);
    Map<String, InstanceRecord> existing = existingHosts(project, fleet.name());
    FleetRecord record =
        store.saveFleet(
            project.id(),
            fleet.name(),
            "ssh",
            request.configuration(),
            fleet.placementOrDefault() == FleetPlacement.CLUSTER);
    for (Map.Entry<String, HostSettings> host : wanted.entrySet()) {
      InstanceRecord current = existing.remove(host.getKey());
      if (current != null
          && sameSettings(current, host.getValue())
          && connections.has(current.id())) {
        if (current.status() == InstanceStatus.UNREACHABLE) {
          // Unchanged but unreachable: the user may have fixed the cause; try again now, and show
          // this attempt's outcome rather than the last one.
          store.updateInstanceStatus(current.id(), InstanceStatus.PENDING, "reconnecting");
          connections.retryNow(current.id());
        }
        continue; // unchanged: not touched
      }
      if (current != null) {
        connections.remove(current.id());
      }
      InstanceRecord instance =
          store.saveHost(
              record.id(), host.getKey(), Json.mapper().valueToTree(host.getValue()).toString());
      store.updateInstanceStatus(instance.id(), InstanceStatus.PENDING, "waiting to connect");
      start(record, instance, host.getValue(), agentJar);
    }
    existing.values().forEach(this::remove);
    return fleet.name();
  }

  /** Reconnects every host of every SSH fleet after a server start, and goes on with drains. */
  public void resume() {
    drains.start();
    for (InstanceRecord instance : store.instances()) {
      if (instance.hostSpec() == null || instance.status() == InstanceStatus.TERMINATED) {
        continue;
      }
      try {
        HostSettings settings = Json.mapper().readValue(instance.hostSpec(), HostSettings.class);
        FleetRecord fleet =
            new FleetRecord(instance.fleetId(), instance.projectId(), instance.fleetName(), "ssh");
        start(fleet, instance, settings, agentJar());
      } catch (IOException | RuntimeException e) {
        LOG.error("host {}: cannot reconnect: {}", instance.name(), e.getMessage());
      }
    }
  }

  /**
   * Deletes a fleet: it drains (nothing new is placed there) and, once no job runs on its hosts,
   * their agents are stopped and what Bosun installed is removed. With {@code force} its runs are
   * stopped gracefully first.
   */
  public synchronized FleetDeletion delete(ProjectRecord project, String name, boolean force) {
    FleetRecord fleet =
        store
            .fleet(project.id(), name)
            .filter(f -> "ssh".equals(f.kind()) && f.status() != FleetStatus.DELETED)
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.NOT_FOUND,
                        "project '" + project.name() + "' has no SSH fleet named '" + name + "'"));
    boolean hasHosts = store.instances().stream().anyMatch(i -> i.fleetId().equals(fleet.id()));
    if (!hasHosts) {
      store.updateFleetStatus(fleet.id(), FleetStatus.DELETED);
      return new FleetDeletion(name, "deleting", 0);
    }
    return drains.delete(fleet, force);
  }

  /** Removes a host in the background: stops its agent and removes what Bosun installed. */
  private void remove(InstanceRecord instance) {
    Thread.ofVirtual().start(() -> removeNow(instance));
  }

  /** Removes hosts in parallel and returns when all are done. */
  private void removeAll(List<InstanceRecord> instances) {
    List<Thread> threads =
        instances.stream().map(i -> Thread.ofVirtual().start(() -> removeNow(i))).toList();
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void removeNow(InstanceRecord instance) {
    LOG.info("host {}: leaving its fleet", instance.name());
    store.updateInstanceStatus(instance.id(), InstanceStatus.TERMINATING, "leaving the fleet");
    archiveLogs.accept(instance.id());
    connections.remove(instance.id());
    for (JobRecord job : store.activeJobs()) {
      if (instance.id().equals(job.instanceId())) {
        lifecycle.onJobLost(job.id(), TerminationReason.ABORTED_BY_USER, "its host left the fleet");
      }
    }
    try {
      HostSettings settings = Json.mapper().readValue(instance.hostSpec(), HostSettings.class);
      new SshAgentLocator(settings, connector, policy(instance.fleetId()), agentJar(), step -> {})
          .uninstall();
    } catch (IOException | RuntimeException e) {
      LOG.warn("host {}: {}", instance.name(), e.getMessage());
    }
    store.updateInstanceStatus(instance.id(), InstanceStatus.TERMINATED, "removed from the fleet");
  }

  private void start(
      FleetRecord fleet, InstanceRecord instance, HostSettings settings, AgentJar jar) {
    SshAgentLocator locator =
        new SshAgentLocator(
            settings,
            connector,
            policy(fleet.id()),
            jar,
            step -> {
              // Reconnecting to a lost host keeps it unreachable (with its last reason) until its
              // agent answers again.
              boolean lost =
                  store
                      .instance(instance.id())
                      .map(i -> i.status() == InstanceStatus.UNREACHABLE)
                      .orElse(false);
              if (!lost) {
                store.updateInstanceStatus(instance.id(), InstanceStatus.PROVISIONING, step);
              }
            });
    follow.accept(instance, locator);
  }

  private HostKeyPolicy policy(String fleetId) {
    return HostKeyPolicy.trustOnFirstUse(new DatabaseHostKeyStore(store, fleetId))
        .withKnownHosts(knownHosts);
  }

  private synchronized AgentJar agentJar() {
    if (jar == null) {
      try {
        jar =
            AgentJar.ofThisServer()
                .orElseThrow(
                    () ->
                        new BosunException(
                            ErrorCode.INVALID_REQUEST,
                            "this server does not run from the bosun jar, so it has no agent to"
                                + " install on SSH hosts; start it with ./bosun server"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jar;
  }

  private static FleetConfiguration parse(FleetApplyRequest request) {
    Configuration configuration =
        ConfigurationParser.parseAny(
            request.configuration(), request.fileName() == null ? "fleet" : request.fileName());
    if (!(configuration instanceof FleetConfiguration fleet)) {
      throw new BosunException(
          ErrorCode.INVALID_CONFIGURATION,
          "this is a " + configuration.type() + " file; a fleet file has type: fleet");
    }
    if ("local".equals(fleet.name())) {
      throw new BosunException(
          ErrorCode.INVALID_CONFIGURATION,
          "the fleet name 'local' is taken by this machine's fleet; choose another name");
    }
    return fleet;
  }

  private Map<String, InstanceRecord> existingHosts(ProjectRecord project, String fleetName) {
    Map<String, InstanceRecord> hosts = new LinkedHashMap<>();
    Optional<FleetRecord> fleet = store.fleet(project.id(), fleetName);
    fleet.ifPresent(
        f ->
            store.instances().stream()
                .filter(i -> i.fleetId().equals(f.id()) && i.status() != InstanceStatus.TERMINATED)
                .forEach(i -> hosts.put(i.name(), i)));
    return hosts;
  }

  private static Map<String, HostSettings> settings(
      FleetConfiguration fleet, FleetApplyRequest request) {
    Path base = Path.of(request.baseDirectory() == null ? "." : request.baseDirectory());
    Map<String, String> env;
    try {
      env = fleet.env().resolve(request.clientEnv()::get).values();
    } catch (IllegalArgumentException e) {
      throw new BosunException(ErrorCode.INVALID_CONFIGURATION, "env: " + e.getMessage());
    }
    Map<String, HostSettings> hosts = new LinkedHashMap<>();
    for (SshHostSpec host : fleet.effectiveHosts()) {
      HostSettings.Jump jump =
          host.proxyJump() == null
              ? null
              : new HostSettings.Jump(
                  host.proxyJump().hostname(),
                  host.proxyJump().port(),
                  host.proxyJump().user(),
                  resolve(base, host.proxyJump().identityFile()));
      int blocks = host.blocks() instanceof Blocks.Fixed fixed ? fixed.count() : 0;
      hosts.put(
          host.address(),
          new HostSettings(
              host.hostname(),
              host.port(),
              host.user(),
              resolve(base, host.identityFile()),
              jump,
              host.internalIp(),
              blocks,
              env,
              fleet.sshConfig().network() == null ? null : fleet.sshConfig().network().toString()));
    }
    return hosts;
  }

  private static String resolve(Path base, String path) {
    if (path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), path.substring(2)).toString();
    }
    return base.resolve(path).toAbsolutePath().normalize().toString();
  }

  private static boolean sameSettings(InstanceRecord instance, HostSettings settings) {
    try {
      return instance.hostSpec() != null
          && Json.mapper().readValue(instance.hostSpec(), HostSettings.class).equals(settings);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    drains.close();
    connector.close();
  }
}
