package dev.bosun.server.scheduling;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.AgentRequestException;
import dev.bosun.api.agent.AgentUnreachableException;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.model.config.StartupOrder;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands placed jobs to their instance's agent, each on a virtual thread. Submission is idempotent,
 * so a job whose agent was unreachable is simply sent again when the connection comes back.
 */
public final class JobDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
  private static final int MAX_ATTEMPTS = 20;

  private final Store store;
  private final RunSpecs specs;
  private final AgentConnections connections;
  private final RunLifecycle lifecycle;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  public JobDispatcher(
      Store store, RunSpecs specs, AgentConnections connections, RunLifecycle lifecycle) {
    this.store = store;
    this.specs = specs;
    this.connections = connections;
    this.lifecycle = lifecycle;
  }

  public void dispatch(String jobId) {
    executor.execute(() -> send(jobId));
  }

  private void send(String jobId) {
    if (!awaitStartupOrder(jobId)) {
      return;
    }
    long backoffMillis = 200;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (Thread.currentThread().isInterrupted()) {
        return; // shutting down
      }
      Optional<JobRecord> found = store.job(jobId);
      if (found.isEmpty()
          || found.get().status() != JobStatus.PROVISIONING
          || found.get().instanceId() == null) {
        return; // started, finished or gone meanwhile
      }
      JobRecord job = found.get();
      RunRecord run = store.runById(job.runId()).orElseThrow();
      if (run.stopRequest() != null) {
        lifecycle.onJobLost(jobId, run.stopRequest().reason(), "stopped before it started");
        return;
      }
      Optional<AgentClient> client = connections.client(job.instanceId());
      if (client.isEmpty()) {
        LOG.info("run {}: job {} waits for its agent to reconnect", run.name(), jobId);
        return; // the connection sends provisioning jobs again when it is back
      }
      InstanceRecord instance = store.instance(job.instanceId()).orElseThrow();
      try {
        lifecycle.onJobState(client.get().submit(jobSpec(run, job, instance)));
        onSubmitted.accept(jobId);
        return;
      } catch (AgentRequestException e) {
        if (e.statusCode() < 500 && e.statusCode() != 401) {
          lifecycle.onJobLost(
              jobId,
              TerminationReason.EXECUTOR_ERROR,
              "the agent refused the job: " + e.getMessage());
          return;
        }
        LOG.warn(
            "run {}: job {} not accepted yet ({}); retrying", run.name(), jobId, e.getMessage());
      } catch (AgentUnreachableException e) {
        LOG.warn("run {}: job {} not delivered ({}); retrying", run.name(), jobId, e.getMessage());
      }
      // Submission is idempotent by job id, so sending again is always safe.
      sleep(backoffMillis);
      backoffMillis = Math.min(backoffMillis * 2, 5_000);
    }
    LOG.warn("job {} not delivered; it is sent again when its agent reconnects", jobId);
  }

  /**
   * Holds a job of a multi-node run back until the jobs its {@code startup_order} puts first are
   * running: workers after the master ({@code master-first}) or the master after every worker
   * ({@code workers-first}). False when the job should not be sent any more (it ended or the run is
   * stopping).
   */
  private boolean awaitStartupOrder(String jobId) {
    while (!Thread.currentThread().isInterrupted()) {
      JobRecord job = store.job(jobId).orElse(null);
      if (job == null || job.status() != JobStatus.PROVISIONING) {
        return false;
      }
      RunRecord run = store.runById(job.runId()).orElseThrow();
      RunSpec spec = specs.of(run);
      if (spec.nodes() <= 1 || spec.startupOrder() == StartupOrder.ANY) {
        return true;
      }
      boolean master = job.jobNum() == 0;
      boolean waits = spec.startupOrder() == StartupOrder.MASTER_FIRST ? !master : master;
      if (!waits) {
        return true;
      }
      List<JobRecord> first =
          store.jobs(run.id()).stream()
              .filter(j -> j.submissionNum() == job.submissionNum() && (j.jobNum() == 0) != master)
              .toList();
      if (first.stream().anyMatch(j -> j.status().isFinished())) {
        return false; // the run is ending; its other jobs are being stopped
      }
      if (first.stream().allMatch(j -> j.status() == JobStatus.RUNNING)) {
        return true;
      }
      sleep(100);
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private volatile java.util.function.Consumer<String> onSubmitted = jobId -> {};

  /** Told with the job's id once its agent has the job (to give it who may SSH into it). */
  public void onSubmitted(java.util.function.Consumer<String> listener) {
    this.onSubmitted = listener;
  }

  JobSpec jobSpec(RunRecord run, JobRecord job, InstanceRecord instance) {
    RunSpec spec = specs.of(run);
    Map<String, String> env = new LinkedHashMap<>(fleetEnv(instance));
    env.putAll(spec.env());
    String gpus = job.gpus().stream().map(String::valueOf).collect(Collectors.joining(","));
    // The run's nodes, by rank: this attempt's jobs, each with its host's internal IP.
    List<JobRecord> nodes =
        spec.nodes() <= 1
            ? List.of(job)
            : store.jobs(run.id()).stream()
                .filter(j -> j.submissionNum() == job.submissionNum())
                .sorted(java.util.Comparator.comparingInt(JobRecord::jobNum))
                .toList();
    Map<String, InstanceRecord> hosts = new java.util.HashMap<>();
    hosts.put(instance.id(), instance);
    if (nodes.size() > 1) {
      store.instances().forEach(i -> hosts.putIfAbsent(i.id(), i)); // one read for every node
    }
    List<String> ips =
        nodes.stream()
            .map(j -> j.instanceId() == null ? null : hosts.get(j.instanceId()))
            .map(i -> i == null ? "127.0.0.1" : ipOf(i))
            .toList();
    int gpusNum = nodes.stream().mapToInt(j -> j.gpus().size()).sum();
    StringBuilder hostfile = new StringBuilder();
    for (int rank = 0; rank < nodes.size(); rank++) {
      int slots = Math.max(1, nodes.get(rank).gpus().size());
      hostfile.append(ips.get(rank)).append(" slots=").append(slots).append('\n');
    }
    Map<String, String> bosun = new LinkedHashMap<>();
    bosun.put("RUN_NAME", run.name());
    bosun.put("RUN_ID", run.id());
    bosun.put("JOB_ID", job.id());
    bosun.put("PROJECT", run.projectName());
    // A service's jobs are its replicas, each a run of one node.
    bosun.put("NODE_RANK", spec.isService() ? "0" : String.valueOf(job.jobNum()));
    if (spec.isService()) {
      bosun.put("REPLICA_NUM", String.valueOf(job.jobNum()));
    }
    bosun.put("NODES_NUM", String.valueOf(nodes.size()));
    bosun.put("MASTER_NODE_IP", ips.getFirst());
    bosun.put("NODES_IPS", String.join("\n", ips));
    bosun.put("GPUS_PER_NODE", String.valueOf(job.gpus().size()));
    bosun.put("GPUS_NUM", String.valueOf(gpusNum));
    bosun.forEach(
        (key, value) -> {
          env.put("BOSUN_" + key, value);
          env.put("DSTACK_" + key, value); // scripts written for dstack run unchanged
        });
    env.put("CUDA_VISIBLE_DEVICES", gpus);
    env.put("NVIDIA_VISIBLE_DEVICES", job.gpus().isEmpty() ? "void" : gpus);
    if (instance.resources() != null
        && instance.resources().gpus().stream().anyMatch(g -> "amd".equals(g.vendor()))) {
      env.put("HIP_VISIBLE_DEVICES", gpus); // ROCm's own variable for the job's AMD GPUs
    }
    Long maxDuration = spec.maxDuration() == null ? null : spec.maxDuration().toSeconds();
    Map<String, String> files =
        Map.of(
            "BOSUN_MPI_HOSTFILE", hostfile.toString(), "DSTACK_MPI_HOSTFILE", hostfile.toString());
    return new JobSpec(
        job.id(),
        run.name(),
        spec.commands(),
        spec.shell(),
        env,
        spec.workingDir(),
        job.gpus(),
        job.gpuUuids(),
        job.cpus() == null ? 0 : job.cpus(),
        job.memoryMb() == null ? 0 : job.memoryMb(),
        maxDuration,
        spec.stopDuration().toSeconds(),
        files,
        spec.inContainer() ? container(run, spec, job, instance) : null,
        spec.inactivityDuration() == null ? null : spec.inactivityDuration().toSeconds());
  }

  /** How long a job's image may take to pull. */
  static final java.time.Duration PULL_TIMEOUT = java.time.Duration.ofMinutes(20);

  /**
   * The container of a job whose run has an image: the host's network for multi-node runs (NCCL and
   * the BOSUN_* addresses need it) and for jobs that take the whole host; otherwise a bridge
   * network with the run's ports published on 127.0.0.1.
   */
  private static dev.bosun.api.agent.JobContainer container(
      RunRecord run, RunSpec spec, JobRecord job, InstanceRecord instance) {
    dev.bosun.model.config.ContainerConfig config = spec.container();
    var host = instance.resources();
    boolean wholeHost =
        host != null
            && ((job.cpus() != null && job.cpus() >= host.cpus())
                || (!host.gpus().isEmpty() && job.gpus().size() == host.gpus().size()));
    var auth = config.registryAuth();
    return new dev.bosun.api.agent.JobContainer(
        spec.image(),
        config.entrypoint(),
        config.user(),
        config.privileged(),
        auth == null ? null : auth.username(),
        auth == null ? null : auth.password(),
        config.volumes().stream()
            .map(
                v ->
                    new dev.bosun.api.agent.JobContainer.Mount(
                        v.hostPath(), v.containerPath(), v.optional()))
            .toList(),
        spec.resources().shmSize() == null ? null : spec.resources().shmSize().mb(),
        spec.nodes() > 1 || wholeHost,
        spec.containerPorts(),
        PULL_TIMEOUT.toSeconds(),
        java.util.Map.of(
            "dev.bosun.project", run.projectName(),
            "dev.bosun.run-id", run.id(),
            "dev.bosun.generation", String.valueOf(job.submissionNum())));
  }

  private static String ipOf(InstanceRecord instance) {
    return instance.resources() == null ? "127.0.0.1" : instance.resources().internalIp();
  }

  /** The env of the instance's fleet file (SSH hosts keep it with their settings). */
  private static Map<String, String> fleetEnv(InstanceRecord instance) {
    if (instance.hostSpec() == null) {
      return Map.of();
    }
    try {
      var env = dev.bosun.api.Json.mapper().readTree(instance.hostSpec()).path("env");
      Map<String, String> values = new LinkedHashMap<>();
      env.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
      return values;
    } catch (java.io.IOException e) {
      return Map.of();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
