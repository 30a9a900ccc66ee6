package dev.bosun.agent;

import dev.bosun.agent.docker.ContainerInfo;
import dev.bosun.agent.docker.ContainerSpec;
import dev.bosun.agent.docker.ContainerSummary;
import dev.bosun.agent.docker.DockerClient;
import dev.bosun.agent.docker.DockerException;
import dev.bosun.agent.docker.LogOptions;
import dev.bosun.agent.docker.RegistryAuth;
import dev.bosun.api.agent.JobContainer;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.state.TerminationReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs in Docker containers through the Engine API: pull (the job is {@code pulling}, with
 * progress), create, start, follow the output into the job's log, wait, remove. A stop is {@code
 * docker stop} with the job's {@code stop_duration} (SIGTERM, then SIGKILL); an abort is a kill.
 *
 * <p>Each container is named {@code bosun-<job id>} and labelled with its job and run, so an agent
 * that restarts finds its containers, follows the running ones from where their log stopped, and
 * removes those no job needs any more. Every step here runs on a worker thread and takes the job's
 * lock only to record what happened.
 */
final class ContainerJobs {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerJobs.class);
  static final String LABEL_JOB = "dev.bosun.job";
  static final String LABEL_RUN = "dev.bosun.run";
  static final String LABEL_MANAGED = "dev.bosun.managed";
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final JobService service;
  private final Supplier<DockerClient> docker;
  private final ExecutorService workers;
  private final List<GpuDevice> hostGpus;
  private final String bridgeNetwork;
  private final Set<Thread> following = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param hostGpus the host's GPUs (to pass NVIDIA and AMD ones the right way)
   * @param bridgeNetwork the Docker network of jobs that do not use the host's ({@code bridge})
   */
  ContainerJobs(
      JobService service,
      Supplier<DockerClient> docker,
      ExecutorService workers,
      List<GpuDevice> hostGpus,
      String bridgeNetwork) {
    this.service = service;
    this.docker = docker;
    this.workers = workers;
    this.hostGpus = List.copyOf(hostGpus);
    this.bridgeNetwork = bridgeNetwork;
  }

  /** Starts the job's container on a worker; the caller holds the job's lock. */
  void launch(Job job) {
    service.commit(job, record -> record.pulling("preparing image " + image(job)));
    workers.execute(() -> prepare(job));
  }

  /**
   * Stops a container job: Docker sends SIGTERM and, after {@code stop_duration}, SIGKILL; an abort
   * kills at once. A job still preparing (no container yet) ends once the preparation is over. The
   * caller holds the job's lock.
   *
   * @param container the job's container, or null when it has none yet
   */
  JobState stop(Job job, JobProcess.Container container, StopRequest request, Instant now) {
    JobRecord record = job.record();
    boolean first = record.stopReason() == null;
    if (first) {
      TerminationReason reason =
          request.reason() != null
              ? request.reason()
              : request.abort()
                  ? TerminationReason.ABORTED_BY_USER
                  : TerminationReason.STOPPED_BY_USER;
      service.commit(job, r -> r.stopping(reason, now.plusSeconds(r.spec().stopDurationSeconds())));
    }
    if (container != null && (first || request.abort())) {
      LOG.info(
          "job {}: {} container {}",
          job.id(),
          request.abort() ? "killing" : "stopping",
          container.id());
      stopOnWorker(
          job,
          container.id(),
          request.abort(),
          Duration.ofSeconds(record.spec().stopDurationSeconds()));
    }
    return job.record().state();
  }

  /** Asks Docker to stop (or kill) the job's container, on a worker. */
  private void stopOnWorker(Job job, String containerId, boolean abort, Duration grace) {
    workers.execute(
        () -> {
          try {
            if (abort) {
              docker.get().killContainer(containerId, "KILL");
            } else {
              docker.get().stopContainer(containerId, grace);
            }
          } catch (DockerException e) {
            LOG.warn("job {}: cannot stop container {}: {}", job.id(), containerId, e.getMessage());
          }
        });
  }

  /**
   * Takes over a container job after an agent restart: follows a container that still runs (or
   * collects the end of one that ended meanwhile), or prepares again a job whose container was
   * never created.
   */
  void resume(Job job) {
    String id = job.record().containerId();
    if (id == null) {
      LOG.info(
          "job {}: the agent stopped while preparing its container; preparing it again", job.id());
      workers.execute(() -> prepare(job));
      return;
    }
    ContainerInfo info;
    try {
      info = docker.get().inspectContainer(id);
    } catch (DockerException e) {
      service.finish(
          job,
          JobOutcome.of(
              job.record().stopReason(),
              null,
              "its container "
                  + shortId(id)
                  + " is gone"
                  + (e.isNotFound() ? "" : " (" + e.getMessage() + ")")));
      return;
    }
    job.setProcess(new JobProcess.Container(id, info.state().pid()));
    service.containerAdopted(job);
    LOG.info("job {}: recovered, container {} {}", job.id(), shortId(id), info.state().status());
    workers.execute(() -> follow(job, id, ContainerLog.lastTimestamp(job.directory())));
  }

  /** Removes the containers of jobs that are finished or unknown to this agent. */
  void removeLeftovers(Set<String> unfinishedJobIds) {
    try {
      for (ContainerSummary container :
          docker.get().listContainers(Map.of(LABEL_MANAGED, "true"))) {
        String jobId = container.labels().get(LABEL_JOB);
        if (jobId == null || !unfinishedJobIds.contains(jobId)) {
          docker.get().removeContainer(container.id());
          LOG.info("removed container {} of ended job {}", shortId(container.id()), jobId);
        }
      }
    } catch (DockerException e) {
      LOG.debug("cannot look for leftover containers: {}", e.getMessage());
    }
  }

  private void prepare(Job job) {
    JobSpec spec = job.record().spec();
    JobContainer container = spec.container();
    DockerClient client = docker.get();
    String id;
    try {
      if (client.inspectImage(container.image()).isEmpty()) {
        pull(job, client, container);
      }
      ContainerSpec create = ContainerSpecs.of(spec, job.directory(), hostGpus, bridgeNetwork);
      id = createFresh(client, create);
    } catch (DockerException e) {
      failToStart(job, ContainerSpecs.createFailure(e, spec));
      return;
    } catch (ContainerSpecs.SetupException e) {
      failToStart(job, e);
      return;
    }
    job.lock().lock();
    try {
      service.commit(job, record -> record.withContainer(id));
      if (job.record().stopReason() != null) {
        service.finish(job, JobOutcome.of(job.record().stopReason(), null, null));
        removeQuietly(client, id);
        return;
      }
      try {
        if (!spec.files().isEmpty()) {
          client.copyToContainer(id, "/", ContainerSpecs.files(spec));
        }
        client.startContainer(id);
        ContainerInfo info = client.inspectContainer(id);
        Instant startedAt = Instant.now();
        job.setProcess(new JobProcess.Container(id, info.state().pid()));
        java.util.Map<Integer, Integer> ports = new java.util.TreeMap<>();
        for (ContainerInfo.PublishedPort port : info.ports()) {
          if (port.protocol().equals("tcp") && port.hostPort() > 0) {
            ports.putIfAbsent(port.containerPort(), port.hostPort());
          }
        }
        service.containerStarted(job, info.state().pid(), startedAt, ports);
        LOG.info(
            "job {}: started in container {} ({}){}",
            job.id(),
            shortId(id),
            container.image(),
            spec.runName() == null ? "" : " for run " + spec.runName());
      } catch (DockerException e) {
        removeQuietly(client, id);
        failToStartLocked(job, ContainerSpecs.startFailure(e, spec));
        return;
      }
    } finally {
      job.lock().unlock();
    }
    follow(job, id, null);
  }

  private void pull(Job job, DockerClient client, JobContainer container) {
    RegistryAuth auth =
        container.registryUsername() == null
            ? null
            : new RegistryAuth(
                container.registryUsername(),
                container.registryPassword(),
                ContainerSpecs.registry(container.image()));
    Instant[] last = {Instant.EPOCH};
    PullMeter meter = new PullMeter();
    client.pullImage(
        container.image(),
        auth,
        Duration.ofSeconds(container.pullTimeoutSeconds()),
        progress -> {
          meter.add(progress);
          Instant now = Instant.now();
          if (Duration.between(last[0], now).compareTo(PROGRESS_EVERY) >= 0) {
            last[0] = now;
            String text = "pulling " + container.image() + ": " + meter.describe();
            job.lock().lock();
            try {
              service.commit(job, record -> record.pulling(text));
            } finally {
              job.lock().unlock();
            }
          }
        });
    LOG.info("job {}: pulled {}", job.id(), container.image());
  }

  /** Creates the container, replacing one of the same name an earlier attempt left. */
  private static String createFresh(DockerClient client, ContainerSpec create) {
    try {
      return client.createContainer(create);
    } catch (DockerException e) {
      if (!e.isConflict()) {
        throw e;
      }
      client.removeContainer(create.name());
      return client.createContainer(create);
    }
  }

  /**
   * Stops following containers (the agent is closing): their jobs go on, and the next agent takes
   * them over.
   */
  void close() {
    closed = true;
    following.forEach(Thread::interrupt);
  }

  /** Copies the container's output into the job's log until it ends, then records its end. */
  private void follow(Job job, String id, Instant since) {
    Thread self = Thread.currentThread();
    following.add(self);
    try {
      followUntilEnd(job, id, since);
    } finally {
      following.remove(self);
    }
  }

  private void followUntilEnd(Job job, String id, Instant since) {
    DockerClient client = docker.get();
    try (ContainerLog log = new ContainerLog(job.directory(), since)) {
      client.logs(id, new LogOptions(true, since, true), log);
      if (!closed) {
        log.complete();
      }
    } catch (DockerException | IOException | java.io.UncheckedIOException e) {
      if (!closed) {
        LOG.warn(
            "job {}: stopped following the output of container {}: {}",
            job.id(),
            shortId(id),
            e.getMessage());
      }
    }
    if (closed) {
      return;
    }
    Integer exit = null;
    try {
      exit = client.waitContainer(id);
      ContainerInfo info = client.inspectContainer(id);
      if (info.state().oomKilled()) {
        appendOutput(job, "bosun-agent: the container ran out of memory and was killed");
      }
      removeQuietly(client, id);
    } catch (DockerException e) {
      LOG.warn(
          "job {}: cannot read the end of container {}: {}", job.id(), shortId(id), e.getMessage());
    }
    try {
      if (exit != null) {
        Files.writeString(job.directory().exitCode(), exit + "\n", StandardCharsets.US_ASCII);
      }
    } catch (IOException e) {
      LOG.warn("job {}: cannot record the exit status: {}", job.id(), e.toString());
    }
    service.containerEnded(job);
  }

  private void failToStart(Job job, ContainerSpecs.SetupException failure) {
    job.lock().lock();
    try {
      failToStartLocked(job, failure);
    } finally {
      job.lock().unlock();
    }
  }

  private void failToStartLocked(Job job, ContainerSpecs.SetupException failure) {
    if (!job.record().state().status().isFinished()) {
      service.failToStart(job, failure.reason(), failure.getMessage());
    }
  }

  private static void appendOutput(Job job, String line) {
    try {
      Files.writeString(
          job.directory().output(),
          line + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("job {}: cannot write to its output: {}", job.id(), e.toString());
    }
  }

  private static void removeQuietly(DockerClient client, String id) {
    try {
      client.removeContainer(id);
    } catch (DockerException e) {
      LOG.debug("cannot remove container {}: {}", id, e.getMessage());
    }
  }

  private static String image(Job job) {
    return job.record().spec().container().image();
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
