package dev.bosun.server.fleet;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.AgentException;
import dev.bosun.api.agent.AgentInfo;
import dev.bosun.api.agent.JobChanges;
import dev.bosun.api.agent.JobState;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.Store;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's link to one instance's agent: locates it, reads its resources, then long-polls its
 * job changes and feeds them to the run lifecycle as they happen. After a new agent boot it
 * re-reads every job, so jobs the agent lost are failed and jobs it never received are sent again.
 */
public final class AgentConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);
  private static final Duration LONG_POLL = Duration.ofSeconds(25);

  private final String instanceId;
  private final String instanceName;
  private final AgentLocator locator;
  private final Store store;
  private final RunLifecycle lifecycle;
  private final HttpClient http;
  private final Runnable wakeScheduler;
  private final Consumer<String> redispatch;
  private final Consumer<String> onConnected;
  private final Thread thread;
  private volatile AgentClient client;
  private volatile boolean running = true;
  private boolean connectedOnce;
  private volatile boolean connectedEver;

  public AgentConnection(
      InstanceRecord instance,
      AgentLocator locator,
      Store store,
      RunLifecycle lifecycle,
      HttpClient http,
      Runnable wakeScheduler,
      Consumer<String> redispatch,
      Consumer<String> onConnected) {
    this.instanceId = instance.id();
    this.instanceName = instance.name();
    this.locator = locator;
    this.store = store;
    this.lifecycle = lifecycle;
    this.http = http;
    this.wakeScheduler = wakeScheduler;
    this.redispatch = redispatch;
    this.onConnected = onConnected;
    this.thread = Thread.ofVirtual().name("agent-" + instanceName).unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  private volatile AgentInfo connectedInfo;

  /** What the connected agent said about itself, or null while it is not connected. */
  public AgentInfo info() {
    return client == null ? null : connectedInfo;
  }

  /** Where this server reaches a loopback port of the agent's host. */
  public java.net.InetSocketAddress reach(int hostLoopbackPort) throws java.io.IOException {
    return locator.reach(hostLoopbackPort);
  }

  /**
   * Where this server reaches {@code port} of a job on this host: the host port Docker bound it to
   * for a job in a bridge container, else the port itself on the host's loopback ({@link #reach}).
   */
  public java.net.InetSocketAddress reachJob(String jobId, int port) throws java.io.IOException {
    return locator.reach(
        published.getOrDefault(jobId, java.util.Map.of()).getOrDefault(port, port));
  }

  // job id -> the host port of each port its bridge container publishes, while it runs
  private final java.util.Map<String, java.util.Map<Integer, Integer>> published =
      new java.util.concurrent.ConcurrentHashMap<>();

  private void track(JobState state) {
    if (state.status().isFinished() || state.ports().isEmpty()) {
      published.remove(state.jobId());
    } else {
      published.put(state.jobId(), state.ports());
    }
  }

  /** The client of the connected agent, or null while it is not connected. */
  public AgentClient client() {
    return client;
  }

  public String instanceId() {
    return instanceId;
  }

  private final Object retrySignal = new Object();
  private boolean retryRequested;

  /** Ends the back-off before the next attempt to reach an unreachable agent, e.g. on re-apply. */
  public void retryNow() {
    synchronized (retrySignal) {
      retryRequested = true;
      retrySignal.notifyAll();
    }
  }

  private void loop() {
    long backoffMillis = 200;
    while (running) {
      try {
        connectAndFollow();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (!running) {
          return;
        }
        client = null;
        if (!connectedEver && locator.isPermanent(e)) {
          LOG.warn("instance {}: provisioning failed: {}", instanceName, e.getMessage());
          store.updateInstanceStatus(
              instanceId, InstanceStatus.TERMINATED, "provisioning failed: " + e.getMessage());
          locator.close();
          return; // needs a change by someone; applying the fleet again retries
        }
        if (e instanceof AgentException
            || e instanceof java.io.IOException
            || locator.isExpectedFailure(e)) {
          LOG.warn(
              "instance {}: agent unreachable ({}); retrying in {} ms",
              instanceName,
              e.getMessage(),
              backoffMillis);
        } else {
          LOG.error("instance {}: agent connection failed", instanceName, e);
        }
        store.updateInstanceStatus(instanceId, InstanceStatus.UNREACHABLE, e.getMessage());
        if (locator.isHostLost()) {
          failJobsOfLostHost();
        }
      }
      try {
        synchronized (retrySignal) {
          if (!retryRequested) {
            retrySignal.wait(backoffMillis);
          }
          if (retryRequested) {
            retryRequested = false;
            backoffMillis = 100; // asked to try again now: start the back-off over
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      backoffMillis = connectedOnce ? 200 : Math.min(backoffMillis * 2, 5_000);
      connectedOnce = false;
    }
  }

  private void connectAndFollow() throws Exception {
    AgentEndpoint endpoint = locator.locate();
    AgentClient agent = new AgentClient(endpoint.uri(), endpoint.token(), http);
    AgentInfo info = agent.info();
    locator.validate(info.resources());
    // Every (re)connection re-reads all jobs (after=0), so only the boot id is worth keeping.
    store.updateAgentCursor(instanceId, info.bootId(), 0);
    // What the server believes runs here, read before the agent's answer: jobs placed while the
    // sync runs are not mistaken for jobs the agent lost.
    List<JobRecord> believed =
        store.activeJobs().stream().filter(job -> instanceId.equals(job.instanceId())).toList();
    connectedInfo = info;
    client = agent;
    JobChanges all = agent.changes(0, Duration.ZERO);
    if (!all.bootId().equals(info.bootId())) {
      throw new java.io.IOException("the agent restarted");
    }
    for (JobState state : all.jobs()) {
      track(state);
      lifecycle.onJobState(state);
    }
    reconcile(believed, all.jobs());
    fenceAbandonedJobs(agent, all.jobs());
    onConnected.accept(instanceId);
    // Only now may the scheduler place new jobs here.
    store.updateInstance(
        instanceId, InstanceStatus.IDLE, locator.adjust(info.resources()), info.agentVersion());
    store.updateInstanceStatus(instanceId, InstanceStatus.IDLE, null);
    connectedOnce = true;
    connectedEver = true;
    LOG.info(
        "instance {}: connected to {} (agent {}, {} CPUs, {} GPUs)",
        instanceName,
        locator.describe(),
        info.agentVersion(),
        info.resources().cpus(),
        info.resources().gpus().size());
    wakeScheduler.run();
    long cursor = all.cursor();
    var containers = info.resources().containers();
    long checkedAt = System.nanoTime();
    long recheckAt = Long.MAX_VALUE;
    while (running) {
      Duration wait = LONG_POLL;
      if (recheckAt != Long.MAX_VALUE) {
        long left = Math.max(recheckAt - System.nanoTime(), 0);
        wait = Duration.ofNanos(Math.min(left, LONG_POLL.toNanos())).plusMillis(1);
      }
      JobChanges changes = agent.changes(cursor, wait);
      if (!changes.bootId().equals(info.bootId())) {
        throw new java.io.IOException("the agent restarted");
      }
      boolean dockerFailed = false;
      for (JobState state : changes.jobs()) {
        track(state);
        lifecycle.onJobState(state);
        dockerFailed |= state.terminationReason() == TerminationReason.CREATING_CONTAINER_ERROR;
      }
      cursor = changes.cursor();
      long now = System.nanoTime();
      boolean recheck = recheckAt != Long.MAX_VALUE && now - recheckAt >= 0;
      if (dockerFailed || recheck || now - checkedAt > CONTAINERS_CHECK.toNanos()) {
        var before = containers;
        containers = refreshContainers(agent, containers);
        checkedAt = System.nanoTime();
        // The agent may have answered from a check made just before Docker failed: after a
        // failure, ask once more when that answer has gone stale.
        recheckAt =
            dockerFailed && java.util.Objects.equals(before, containers)
                ? checkedAt + CONTAINERS_RECHECK.toNanos()
                : Long.MAX_VALUE;
      }
    }
  }

  /** How often the server asks an agent whether its Docker still works (sooner after a failure). */
  private static final Duration CONTAINERS_CHECK = Duration.ofSeconds(60);

  /** Longer than the agent keeps its own answer about Docker (ContainerRuntimes.Probe.FRESH). */
  private static final Duration CONTAINERS_RECHECK = Duration.ofSeconds(6);

  /**
   * Asks the agent whether its Docker works now and, when that changed, records it so that the
   * scheduler places container runs only where Docker runs.
   */
  private dev.bosun.model.host.ContainerRuntime refreshContainers(
      AgentClient agent, dev.bosun.model.host.ContainerRuntime known) {
    AgentInfo now = agent.info();
    var found = now.resources().containers();
    if (java.util.Objects.equals(found, known)) {
      return known;
    }
    LOG.info(
        "instance {}: containers {}",
        instanceName,
        found != null && found.available()
            ? "run again (Docker " + found.version() + ")"
            : "cannot run: " + (found == null ? "unknown" : found.problem()));
    store.updateInstance(
        instanceId, InstanceStatus.IDLE, locator.adjust(now.resources()), now.agentVersion());
    wakeScheduler.run();
    return found;
  }

  /** The host is gone: no job may stay running on it in the server's view. */
  private void failJobsOfLostHost() {
    for (JobRecord job : store.activeJobs()) {
      if (instanceId.equals(job.instanceId())) {
        lifecycle.onJobLost(
            job.id(),
            TerminationReason.INSTANCE_UNREACHABLE,
            "host " + instanceName + " stopped answering");
      }
    }
  }

  /**
   * Jobs still running on the agent that the server already ended (e.g. failed when the host was
   * unreachable and retried elsewhere) are aborted, so no job runs twice. Job ids are unique per
   * attempt, so the id is the fencing token.
   */
  private void fenceAbandonedJobs(AgentClient agent, List<JobState> states) {
    for (JobState state : states) {
      if (state.status().isFinished()) {
        continue;
      }
      boolean abandoned = store.job(state.jobId()).map(j -> j.status().isFinished()).orElse(true);
      if (abandoned) {
        LOG.warn(
            "instance {}: aborting job {} that the server has given up on",
            instanceName,
            state.jobId());
        agent.stop(
            state.jobId(),
            new dev.bosun.api.agent.StopRequest(true, TerminationReason.INSTANCE_UNREACHABLE));
      }
    }
  }

  /** After (re)connecting: what the server thought ran here but the agent does not know. */
  private void reconcile(List<JobRecord> believed, List<JobState> known) {
    Set<String> agentJobs = new HashSet<>();
    known.forEach(state -> agentJobs.add(state.jobId()));
    for (JobRecord job : believed) {
      if (agentJobs.contains(job.id())) {
        continue;
      }
      if (job.status() == JobStatus.PROVISIONING) {
        redispatch.accept(job.id());
      } else {
        lifecycle.onJobLost(
            job.id(),
            TerminationReason.AGENT_LOST,
            "the agent on " + instanceName + " has no record of the job");
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    locator.close();
  }
}
