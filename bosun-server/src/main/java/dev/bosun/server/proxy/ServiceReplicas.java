package dev.bosun.server.proxy;

import dev.bosun.model.config.ProbeSpec;
import dev.bosun.model.state.JobStatus;
import dev.bosun.server.fleet.AgentConnection;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.server.runs.ReplicaReadiness;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas of every running service and whether each is ready for traffic. Every {@link #TICK}
 * it reads the running jobs of active services and probes each replica: without {@code probes} a
 * replica is ready while its {@code port} accepts TCP connections (checked every {@link
 * #TCP_INTERVAL}); with them, once each probe has answered 2xx {@code ready_after} times in a row
 * (each at its {@code interval}), and not after a probe fails. The proxy picks among the ready
 * ones, the one with the fewest requests in flight, and takes out at once a replica it could not
 * reach (until a probe passes again).
 */
public final class ServiceReplicas implements ReplicaReadiness, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReplicas.class);

  static final Duration TICK = Duration.ofMillis(250);
  static final Duration TCP_INTERVAL = Duration.ofSeconds(1);

  private final Store store;
  private final RunSpecs specs;
  private final AgentConnections connections;
  private final ProbeClient probes = new ProbeClient();
  // run id -> its replicas by job id
  private final Map<String, Map<String, Replica>> byRun = new ConcurrentHashMap<>();
  private final AtomicLong turn = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("service-replicas").factory());

  private final Autoscaler autoscaler;
  private final Rollout rollout;
  // run id -> requests through the proxy, for autoscaling
  private final Map<String, RequestRate> rates = new ConcurrentHashMap<>();

  public ServiceReplicas(
      Store store,
      RunSpecs specs,
      AgentConnections connections,
      dev.bosun.server.runs.RunLifecycle lifecycle) {
    this.store = store;
    this.specs = specs;
    this.connections = connections;
    this.autoscaler = new Autoscaler(lifecycle, this::outOfRotation);
    this.rollout = new Rollout(lifecycle, this::outOfRotation);
    lifecycle.replicaChanges().drainWith(this::drain);
  }

  private final ReplicaDrains drains = new ReplicaDrains();

  /** A retired replica is stopped once drained ({@link ReplicaDrains}). */
  private void drain(JobRecord job, Runnable stop) {
    drains.drain(find(job.id()), stop);
  }

  /**
   * Counts a request to the service, for its autoscaling; the request is in flight until {@link
   * #requestDone}, and a service with requests in flight keeps at least one replica.
   */
  void countRequest(String runId) {
    RequestRate rate = rates.computeIfAbsent(runId, k -> new RequestRate());
    rate.add(System.currentTimeMillis() / 1000);
    rate.inFlight.incrementAndGet();
  }

  /** The request counted by {@link #countRequest} has been answered (or failed). */
  void requestDone(String runId) {
    RequestRate rate = rates.get(runId);
    if (rate != null) {
      rate.inFlight.decrementAndGet();
    }
  }

  /** Starts probing. */
  public ServiceReplicas start() {
    timer.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One running job of a service, where this server reaches its port, and its readiness. */
  static final class Replica {
    final String jobId;
    final int num;
    volatile InetSocketAddress address;
    final AtomicInteger outstanding = new AtomicInteger();
    final long runningSince = System.nanoTime();
    final int[] streaks;
    final long[] nextProbe;
    volatile boolean ready;
    volatile String why = "not checked yet";
    volatile boolean probing;
    volatile boolean retired;

    // the port and probes of the configuration the replica was started with (a re-applied service
    // rolls its replicas one at a time: the old ones keep theirs)
    final int port;
    final List<ProbeSpec> probes;

    Replica(String jobId, int num, InetSocketAddress address, int port, List<ProbeSpec> probes) {
      this.jobId = jobId;
      this.num = num;
      this.address = address;
      this.port = port;
      this.probes = List.copyOf(probes);
      this.streaks = new int[Math.max(1, probes.size())];
      this.nextProbe = new long[Math.max(1, probes.size())];
    }
  }

  /**
   * The ready replica of the run with the fewest requests in flight (ties taken in turn), or null
   * when none is ready.
   */
  Replica pick(String runId) {
    Map<String, Replica> replicas = byRun.get(runId);
    if (replicas == null) {
      return null;
    }
    List<Replica> ready = new ArrayList<>(replicas.size());
    int least = Integer.MAX_VALUE;
    for (Replica replica : replicas.values()) {
      if (!replica.ready || replica.retired) {
        continue; // retired: a probe may have marked it ready just before it was retired
      }
      int load = replica.outstanding.get();
      if (load < least) {
        least = load;
        ready.clear();
      }
      if (load == least) {
        ready.add(replica);
      }
    }
    if (ready.isEmpty()) {
      return null;
    }
    return ready.get((int) Math.floorMod(turn.getAndIncrement(), (long) ready.size()));
  }

  /** Replicas being stopped take no new request from now on. */
  private void outOfRotation(List<JobRecord> jobs) {
    for (JobRecord job : jobs) {
      Replica replica = find(job.id());
      if (replica != null) {
        replica.retired = true; // first: a probe passing now cannot put it back
        replica.ready = false;
        replica.why = "stopping";
      }
    }
  }

  /** The proxy could not reach the replica: it takes no traffic until a probe passes again. */
  void unreachable(Replica replica, String why) {
    replica.ready = false;
    replica.why = why;
    java.util.Arrays.fill(replica.streaks, 0);
    java.util.Arrays.fill(replica.nextProbe, 0);
  }

  /** Why no replica of the run can take a request now, for the caller's error. */
  String whyNoneReady(String runId, RunSpec spec) {
    Map<String, Replica> replicas = byRun.get(runId);
    if (replicas == null || replicas.isEmpty()) {
      return "it has no running replica yet";
    }
    StringBuilder out = new StringBuilder("no replica is ready (");
    replicas.values().stream()
        .sorted(java.util.Comparator.comparingInt(r -> r.num))
        .forEach(r -> out.append("replica ").append(r.num).append(": ").append(r.why).append("; "));
    out.setLength(out.length() - 2);
    return out.append(')').toString();
  }

  @Override
  public Boolean ready(String jobId) {
    Replica replica = find(jobId);
    return replica == null ? null : replica.ready;
  }

  @Override
  public String notReadyWhy(String jobId) {
    Replica replica = find(jobId);
    return replica == null || replica.ready ? null : replica.why;
  }

  private Replica find(String jobId) {
    for (Map<String, Replica> replicas : byRun.values()) {
      Replica replica = replicas.get(jobId);
      if (replica != null) {
        return replica;
      }
    }
    return null;
  }

  private void tick() {
    try {
      drains.check();
      Set<String> services = new HashSet<>();
      for (RunRecord run : store.activeRuns()) {
        RunSpec spec;
        try {
          spec = specs.of(run);
        } catch (RuntimeException e) {
          continue;
        }
        if (!spec.isService()) {
          continue;
        }
        services.add(run.id());
        refresh(run, spec);
      }
      byRun.keySet().retainAll(services);
      rates.keySet().retainAll(services);
      autoscaler.retain(services);
    } catch (RuntimeException e) {
      LOG.warn("checking the replicas of services failed; trying again", e);
    }
  }

  /** Brings the run's replicas up to date with its running jobs and probes those that are due. */
  private void refresh(RunRecord run, RunSpec spec) {
    Map<String, Replica> replicas = byRun.computeIfAbsent(run.id(), k -> new ConcurrentHashMap<>());
    Set<String> running = new HashSet<>();
    List<JobRecord> jobs = store.jobs(run.id());
    boolean rolling =
        rollout.advance(
            run,
            spec,
            jobs,
            job -> {
              Replica replica = replicas.get(job.id());
              return replica != null && replica.ready;
            },
            java.time.Instant.now());
    if (spec.service().scaling() != null && !rolling) {
      RequestRate rate = rates.get(run.id());
      long now = System.currentTimeMillis();
      double rps =
          rate == null
              ? 0
              : rate.perSecond(now / 1000, (int) spec.service().scaling().window().toSeconds());
      autoscaler.adjust(
          run,
          spec,
          jobs,
          rps,
          rate != null && rate.inFlight.get() > 0,
          java.time.Instant.ofEpochMilli(now));
    }
    for (JobRecord job : jobs) {
      if (job.status() != JobStatus.RUNNING || job.instanceId() == null) {
        continue;
      }
      running.add(job.id());
      Replica known = replicas.get(job.id());
      if (known != null && known.ready) {
        continue;
      }
      InetSocketAddress address = address(job, known == null ? spec.service().port() : known.port);
      if (known == null && address != null) {
        replicas.put(
            job.id(),
            new Replica(
                job.id(), job.jobNum(), address, spec.service().port(), spec.service().probes()));
      } else if (known != null && address != null && !address.equals(known.address)) {
        // the port is forwarded anew (the server's SSH session to the host was reconnected)
        known.address = address;
      }
    }
    replicas.keySet().retainAll(running);
    long now = System.nanoTime();
    for (Replica replica : replicas.values()) {
      if (!replica.probing && due(replica, spec, now)) {
        replica.probing = true;
        Thread.ofVirtual()
            .name("probe-" + replica.jobId)
            .start(
                () -> {
                  try {
                    probe(replica);
                  } finally {
                    replica.probing = false;
                  }
                });
      }
    }
  }

  private static boolean due(Replica replica, RunSpec spec, long now) {
    for (long next : replica.nextProbe) {
      if (now - next >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Runs the replica's due probes (a TCP connect when the service has none) and sets readiness. */
  private void probe(Replica replica) {
    List<ProbeSpec> list = replica.probes;
    if (list.isEmpty()) {
      boolean accepts = probes.accepts(replica.address);
      replica.nextProbe[0] = System.nanoTime() + TCP_INTERVAL.toNanos();
      set(
          replica,
          accepts,
          accepts
              ? null
              : "does not accept connections on port "
                  + replica.port
                  + " (running for "
                  + runningFor(replica)
                  + ")");
      return;
    }
    String failed = null;
    boolean allReady = true;
    for (int i = 0; i < list.size(); i++) {
      ProbeSpec probe = list.get(i);
      long now = System.nanoTime();
      if (now - replica.nextProbe[i] >= 0) {
        String problem = probes.http(replica.address, probe);
        replica.nextProbe[i] = System.nanoTime() + probe.interval().toNanos();
        if (problem == null) {
          replica.streaks[i]++;
        } else {
          replica.streaks[i] = 0;
          failed =
              "probe "
                  + probe.method().toUpperCase(java.util.Locale.ROOT)
                  + " "
                  + probe.url()
                  + " "
                  + problem;
        }
      }
      if (replica.streaks[i] < probe.readyAfter()) {
        allReady = false;
        if (failed == null) {
          failed =
              "probe "
                  + probe.url()
                  + " passed "
                  + replica.streaks[i]
                  + " of "
                  + probe.readyAfter()
                  + " times in a row";
        }
      }
    }
    set(replica, allReady, allReady ? null : failed + " (running for " + runningFor(replica) + ")");
  }

  private static void set(Replica replica, boolean ready, String why) {
    if (ready != replica.ready) {
      LOG.info(
          "replica {} (job {}) is {}{}",
          replica.num,
          replica.jobId,
          ready ? "ready" : "not ready",
          ready ? "" : ": " + why);
    }
    replica.ready = ready && !replica.retired;
    replica.why = why;
  }

  private static String runningFor(Replica replica) {
    long seconds = Duration.ofNanos(System.nanoTime() - replica.runningSince).toSeconds();
    return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
  }

  private InetSocketAddress address(JobRecord job, int port) {
    AgentConnection connection = connections.connected(job.instanceId()).orElse(null);
    if (connection == null) {
      return null;
    }
    try {
      return connection.reachJob(job.id(), port);
    } catch (IOException e) {
      LOG.debug("job {}: cannot reach port {}: {}", job.id(), port, e.toString());
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
