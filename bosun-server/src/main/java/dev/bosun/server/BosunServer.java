package dev.bosun.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bosun.api.Json;
import dev.bosun.api.ShutdownRequest;
import dev.bosun.api.agent.AgentException;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.fleet.AgentConnection;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.server.fleet.FleetViews;
import dev.bosun.server.fleet.LocalAgentProcess;
import dev.bosun.server.fleet.hosts.SshFleets;
import dev.bosun.server.http.ApiServer;
import dev.bosun.server.http.Routes;
import dev.bosun.server.runs.LogArchive;
import dev.bosun.server.runs.LogService;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.server.runs.RunService;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.server.scheduling.JobDispatcher;
import dev.bosun.server.scheduling.SchedulingLoop;
import dev.bosun.server.users.UserService;
import dev.bosun.store.FleetRecord;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.Store;
import dev.bosun.store.StoreFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the server by constructor, starts them, and stops
 * them.
 */
public final class BosunServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BosunServer.class);

  private final ServerOptions options;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Store store;
  private AgentConnections connections;
  private SshFleets sshFleets;
  private JobDispatcher dispatcher;
  private SchedulingLoop scheduling;
  private dev.bosun.server.proxy.ServiceReplicas replicas;
  private ApiServer api;
  private LocalAgentProcess localAgent;
  private Optional<String> firstToken = Optional.empty();
  private String url;

  public BosunServer(ServerOptions options) {
    this.options = options;
  }

  public BosunServer start() throws IOException {
    Path home = options.home();
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Clock clock = Clock.systemUTC();
    store =
        options.databaseUrl() == null
            ? StoreFactory.sqlite(home.resolve("bosun.db"), clock)
            : StoreFactory.open(options.databaseUrl(), clock);
    firstToken = Bootstrap.firstStart(store);
    RunEvents events = new RunEvents();
    RunSpecs specs = new RunSpecs(options.pythonImage(), options.minInactivity());
    RunLifecycle lifecycle = new RunLifecycle(store, specs, events, clock);
    connections = new AgentConnections();
    dispatcher = new JobDispatcher(store, specs, connections, lifecycle);
    scheduling =
        new SchedulingLoop(
            store,
            specs,
            lifecycle,
            events,
            dispatcher,
            clock,
            new dev.bosun.scheduler.SchedulerOptions(java.time.ZoneId.of("UTC"), options.spread()));
    lifecycle.onSchedulerWake(scheduling::wake);
    RunService runs =
        new RunService(store, specs, lifecycle, events, scheduling, connections, clock);
    lifecycle.onJobStop(runs.stops()::stopJob);
    replicas =
        new dev.bosun.server.proxy.ServiceReplicas(store, specs, connections, lifecycle).start();
    runs.onReadiness(replicas);
    scheduling.onPreempt(runs.stops()::preempt);
    LogService logs =
        new LogService(store, runs, connections, events, new LogArchive(home.resolve("logs")));
    // Registered before the API opens, so a client never sees a server without its local fleet.
    InstanceRecord localInstance = null;
    if (options.localFleet()) {
      FleetRecord fleet = store.ensureFleet(Bootstrap.mainProject(store).id(), "local", "local");
      localInstance = store.ensureInstance(fleet.id(), localHostName());
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    dev.bosun.server.ssh.SshAccess sshAccess =
        new dev.bosun.server.ssh.SshAccess(store, connections);
    dispatcher.onSubmitted(sshAccess::jobSubmitted);
    java.util.function.BiConsumer<InstanceRecord, dev.bosun.server.fleet.AgentLocator> follow =
        (instance, locator) ->
            connections.add(
                new AgentConnection(
                    instance,
                    locator,
                    store,
                    lifecycle,
                    http,
                    scheduling::wake,
                    dispatcher::dispatch,
                    instanceId -> {
                      runs.stops().resendStops(instanceId);
                      sshAccess.instanceConnected(instanceId);
                    }));
    sshFleets =
        new SshFleets(
            store,
            connections,
            lifecycle,
            runs.stops()::stopForFleetDeletion,
            logs::archiveInstance,
            follow::accept);
    dev.bosun.server.ssh.SshTunnels tunnels =
        new dev.bosun.server.ssh.SshTunnels(store, connections, specs);
    Routes routes =
        new Routes(
            store,
            runs,
            logs,
            new FleetViews(store, scheduling::wake),
            sshFleets,
            new UserService(store, scheduling::wake),
            new dev.bosun.server.ssh.SshKeys(store, sshAccess),
            tunnels,
            new dev.bosun.api.ServerHealth("ok", Version.current(), options.servicesDomain()),
            this::shutdown);
    api =
        new ApiServer(
                routes.routes(),
                routes.caller(),
                Version.current(),
                config -> {
                  new dev.bosun.server.ssh.SshTunnelSocket(tunnels, routes.caller())
                      .register(config);
                  var proxy =
                      new dev.bosun.server.proxy.ServiceProxy(
                          store, specs, replicas, routes.caller());
                  // HTTP to services is forwarded by a Jetty handler in front of the API's
                  // servlet (asynchronous end to end); WebSockets go through the API's.
                  var proxyHandler =
                      new dev.bosun.server.proxy.ProxyHandler(
                          proxy, options.servicesDomain(), options.replicaTimeout());
                  config.jetty.modifyServer(server -> server.setHandler(proxyHandler));
                  new dev.bosun.server.proxy.ServiceSockets(proxy).register(config);
                })
            .start(options.host(), options.port());
    url =
        "http://"
            + (options.host().contains(":") ? "[" + options.host() + "]" : options.host())
            + ":"
            + api.port();
    Bootstrap.writeCliConfig(home, url, firstToken.orElse(null));
    writeServerJson(home);
    if (localInstance != null) {
      // Not ready until its agent answers: nothing is placed on it before then. Written only now
      // that this server owns the port, so a second server failing to start changes nothing.
      store.updateInstance(
          localInstance.id(), dev.bosun.model.state.InstanceStatus.PENDING, null, null);
      localAgent = new LocalAgentProcess(home.resolve("agent"), options.agentCommand(), http);
      follow.accept(localInstance, localAgent);
    }
    scheduling.start();
    sshFleets.resume();
    LOG.info("Bosun server {} listening on {}", Version.current(), url);
    return this;
  }

  /** The admin token created on this start, if this was the first start. */
  public Optional<String> firstToken() {
    return firstToken;
  }

  public String url() {
    return url;
  }

  public int port() {
    return api.port();
  }

  /** Blocks until the server is stopped through the API or {@link #close()}. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private void shutdown(ShutdownRequest request) {
    if (request.stopJobs()) {
      stopAllJobs();
    }
    close();
  }

  private void stopAllJobs() {
    for (JobRecord job : store.activeJobs()) {
      if (job.instanceId() != null) {
        connections
            .client(job.instanceId())
            .ifPresent(
                client -> {
                  try {
                    client.stop(job.id(), new StopRequest(true, TerminationReason.ABORTED_BY_USER));
                  } catch (AgentException e) {
                    LOG.warn("could not abort job {}: {}", job.id(), e.getMessage());
                  }
                });
      }
    }
    if (localAgent != null) {
      localAgent
          .pid()
          .flatMap(ProcessHandle::of)
          .ifPresent(
              agent -> {
                agent.destroy();
                LOG.info("stopped the local agent (pid {})", agent.pid());
              });
    }
  }

  private void writeServerJson(Path home) throws IOException {
    ObjectNode json =
        Json.mapper()
            .createObjectNode()
            .put("pid", ProcessHandle.current().pid())
            .put("url", url)
            .put("version", Version.current());
    Path temp = home.resolve("server.json.tmp");
    Files.writeString(temp, json.toString());
    Files.move(
        temp,
        home.resolve("server.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    LOG.info("Bosun server stopping");
    if (api != null) {
      api.close();
    }
    if (scheduling != null) {
      scheduling.close();
    }
    if (replicas != null) {
      replicas.close();
    }
    if (connections != null) {
      connections.close();
    }
    if (sshFleets != null) {
      sshFleets.close();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (store != null) {
      store.close();
    }
    try {
      Path serverJson = options.home().resolve("server.json");
      if (Files.exists(serverJson)
          && Files.readString(serverJson).contains("\"pid\":" + ProcessHandle.current().pid())) {
        Files.delete(serverJson);
      }
    } catch (IOException e) {
      LOG.debug("could not remove server.json", e);
    }
    stopped.countDown();
  }
}
