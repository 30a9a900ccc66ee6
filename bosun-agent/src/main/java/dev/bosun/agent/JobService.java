package dev.bosun.agent;

import dev.bosun.agent.docker.DockerClient;
import dev.bosun.api.agent.JobChanges;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.LogChunk;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.state.TerminationReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's jobs: starts them, stops them, notices their end, answers polls, recovers them
 * after a restart.
 *
 * <p>Threads: HTTP handlers call in on virtual threads; one timer thread pumps logs and fires
 * deadlines; the end of a job is handled on a virtual thread. Each job's steps hold its lock, so
 * they never interleave.
 */
final class JobService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
  private static final Duration ADOPTED_POLL = Duration.ofMillis(200);
  static final String KILLED_MESSAGE =
      "the job's process was killed before it could record an exit status";

  private final Path jobsDir;
  private final InstantSource clock;
  private final String bootId;
  private final JobTable table = new JobTable();
  private final JobLauncher launcher;
  private final ProcessGroupSignals signals;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final LogPump pump;
  private final ContainerJobs containers;
  private volatile boolean closed;

  JobService(
      Path jobsDir,
      Map<String, String> environment,
      SearchPath searchPath,
      InstantSource clock,
      String bootId) {
    this(jobsDir, environment, searchPath, clock, bootId, List.of());
  }

  /**
   * @param environment the agent's environment: jobs inherit it; {@code DOCKER_HOST} names the
   *     Docker daemon of container jobs and {@code BOSUN_DOCKER_NETWORK} their network when they do
   *     not use the host's ({@code bridge} by default)
   * @param hostGpus the host's GPUs
   */
  JobService(
      Path jobsDir,
      Map<String, String> environment,
      SearchPath searchPath,
      InstantSource clock,
      String bootId,
      List<GpuDevice> hostGpus) {
    this.jobsDir = jobsDir;
    this.clock = clock;
    this.bootId = bootId;
    this.launcher = new JobLauncher(environment, searchPath);
    this.signals = new ProcessGroupSignals(searchPath);
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "bosun-agent-timer");
              thread.setDaemon(true);
              return thread;
            });
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer.setRemoveOnCancelPolicy(true);
    this.pump = new LogPump(timer);
    this.containers =
        new ContainerJobs(
            this,
            DockerClient.lazy(environment.get("DOCKER_HOST")),
            workers,
            hostGpus,
            environment.getOrDefault("BOSUN_DOCKER_NETWORK", "bridge"));
  }

  /**
   * Starts the job, or returns its state if it is known already (submission is idempotent by job
   * id).
   */
  JobState submit(JobSpec spec) {
    JobSpecRules.validate(spec);
    if (closed) {
      throw ApiException.unavailable("the agent is shutting down");
    }
    JobDirectory directory = new JobDirectory(jobsDir.resolve(spec.jobId()));
    Job job =
        table.computeIfAbsent(
            spec.jobId(),
            id ->
                new Job(
                    JobRecord.submitted(spec), directory, JobLog.empty(directory, clock), false));
    job.lock().lock();
    try {
      if (!job.launched()) {
        job.markLaunched();
        launch(job);
      }
      return job.record().state();
    } finally {
      job.lock().unlock();
    }
  }

  /** Asks a job to stop; a finished job's state is returned unchanged. */
  JobState stop(String jobId, StopRequest request) {
    return stop(require(jobId), request);
  }

  /** Removes a finished job's directory. */
  void delete(String jobId) {
    Job job = require(jobId);
    job.lock().lock();
    try {
      JobState state = job.record().state();
      if (!state.status().isFinished()) {
        throw ApiException.conflict(
            "job "
                + jobId
                + " is "
                + state.status().wireName()
                + "; stop it and wait for it to end before deleting it");
      }
      job.directory().delete();
      table.remove(job);
      LOG.info("job {}: deleted", jobId);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot delete the directory of job " + jobId + ": " + e.getMessage(), e);
    } finally {
      job.lock().unlock();
    }
  }

  JobChanges changes(long after, Duration wait) throws InterruptedException {
    return table.changes(after, wait, bootId);
  }

  LogChunk logs(String jobId, long offset, Duration wait, int limit)
      throws IOException, InterruptedException {
    if (offset < 0) {
      throw ApiException.badRequest("offset must not be negative, got " + offset);
    }
    if (limit <= 0) {
      throw ApiException.badRequest("limit must be positive, got " + limit);
    }
    return require(jobId).log().read(offset, limit, wait);
  }

  /**
   * Loads the jobs recorded on disk and takes over the ones still running. Call once, before
   * serving.
   */
  void recover() throws IOException {
    new JobRecovery(this, jobsDir, clock).run();
    Set<String> unfinished = new HashSet<>();
    for (Job job : table.all()) {
      if (!job.record().state().status().isFinished()) {
        unfinished.add(job.id());
      }
    }
    if (table.all().stream().anyMatch(job -> job.record().spec().container() != null)) {
      containers.removeLeftovers(unfinished);
    }
  }

  ContainerJobs containers() {
    return containers;
  }

  @Override
  public void close() {
    closed = true;
    containers.close();
    table.close();
    timer.shutdown();
    workers.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pump.close();
  }

  // ---- lifecycle steps; each runs holding the job's lock ----

  private void launch(Job job) {
    JobSpec spec = job.record().spec();
    JobDirectory directory = job.directory();
    try {
      Files.createDirectories(directory.root());
      Files.write(directory.output(), new byte[0]);
      Files.write(directory.log(), new byte[0]);
      directory.writeRecord(job.record());
    } catch (IOException e) {
      failToStart(
          job, "cannot create the job's directory " + directory.root() + ": " + e.getMessage());
      return;
    }
    if (spec.container() != null) {
      containers.launch(job);
      return;
    }
    JobProcess.Child child;
    try {
      child = launcher.launch(spec, directory);
    } catch (JobLaunchException e) {
      failToStart(job, e.getMessage());
      return;
    }
    Instant startedAt = clock.instant();
    job.setProcess(child);
    commit(job, record -> record.started(child.pid(), child.startTicks(), startedAt, null));
    pump.add(job.id(), job.log());
    child.process().onExit().thenRunAsync(() -> onExit(job), workers);
    scheduleMaxDuration(job, startedAt);
    LOG.info(
        "job {}: started as process group {}{}",
        job.id(),
        child.pid(),
        spec.runName() == null ? "" : " for run " + spec.runName());
  }

  private void failToStart(Job job, String message) {
    failToStart(job, TerminationReason.EXECUTOR_ERROR, message);
  }

  /** Records that the job could not start, with the reason in its log; holds the job's lock. */
  void failToStart(Job job, TerminationReason reason, String message) {
    LOG.warn("job {}: cannot start: {}", job.id(), message);
    try {
      Files.createDirectories(job.directory().root());
      Files.writeString(
          job.directory().output(),
          "bosun-agent: " + message + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      job.log().drain();
    } catch (IOException e) {
      LOG.warn("job {}: cannot write the failure to the log: {}", job.id(), e.toString());
    }
    finish(job, JobOutcome.failedToStart(reason, message));
  }

  private JobState stop(Job job, StopRequest request) {
    job.lock().lock();
    try {
      JobRecord record = job.record();
      JobProcess process = job.process();
      if (record.state().status().isFinished() || job.exited()) {
        return record.state();
      }
      Instant now = clock.instant();
      if (process == null && record.spec().container() == null) {
        return record.state(); // a process job not started yet
      }
      if (process == null || process instanceof JobProcess.Container) {
        return containers.stop(job, (JobProcess.Container) process, request, now);
      }
      if (request.abort()) {
        boolean killing =
            record.stopReason() != null && record.killAt() != null && !record.killAt().isAfter(now);
        if (!killing) {
          TerminationReason reason =
              request.reason() != null ? request.reason() : TerminationReason.ABORTED_BY_USER;
          commit(job, r -> r.stopping(reason, now));
        }
        LOG.info("job {}: aborting: SIGKILL to process group {}", job.id(), process.pid());
        signals.send(job.id(), process, "KILL");
      } else if (record.stopReason() == null) {
        TerminationReason reason =
            request.reason() != null ? request.reason() : TerminationReason.STOPPED_BY_USER;
        Instant killAt = now.plusSeconds(record.spec().stopDurationSeconds());
        commit(job, r -> r.stopping(reason, killAt));
        LOG.info(
            "job {}: stopping ({}): SIGTERM to process group {}, SIGKILL at {}",
            job.id(),
            reason.wireName(),
            process.pid(),
            killAt);
        signals.send(job.id(), process, "TERM");
        scheduleKill(job, killAt);
      }
      return job.record().state();
    } finally {
      job.lock().unlock();
    }
  }

  private void scheduleKill(Job job, Instant killAt) {
    schedule(
        job,
        Duration.between(clock.instant(), killAt),
        () -> {
          job.lock().lock();
          try {
            JobProcess process = job.process();
            if (!job.exited() && process != null && process.isAlive()) {
              LOG.info(
                  "job {}: still running {} s after SIGTERM: SIGKILL to process group {}",
                  job.id(),
                  job.record().spec().stopDurationSeconds(),
                  process.pid());
              signals.send(job.id(), process, "KILL");
            }
          } finally {
            job.lock().unlock();
          }
        });
  }

  private void scheduleMaxDuration(Job job, Instant startedAt) {
    Long maxDuration = job.record().spec().maxDurationSeconds();
    if (maxDuration != null) {
      Duration delay = Duration.between(clock.instant(), startedAt.plusSeconds(maxDuration));
      schedule(
          job,
          delay,
          () -> {
            LOG.info("job {}: reached its max duration of {} s", job.id(), maxDuration);
            stop(job, new StopRequest(false, TerminationReason.MAX_DURATION_EXCEEDED));
          });
    }
  }

  /** Runs {@code action} on a worker after {@code delay}, unless the job's process ends first. */
  private void schedule(Job job, Duration delay, Runnable action) {
    try {
      long nanos = Math.max(0, delay.toNanos());
      job.addTimer(timer.schedule(() -> runOnWorker(action), nanos, TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      LOG.debug("job {}: agent closing, deadline not scheduled", job.id());
    }
  }

  /** Runs {@code action} on a worker every {@code period} until the agent closes. */
  void every(Duration period, Runnable action) {
    timer.scheduleWithFixedDelay(
        () -> runOnWorker(action), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void runOnWorker(Runnable action) {
    try {
      workers.execute(action);
    } catch (RejectedExecutionException e) {
      LOG.debug("agent closing, task dropped");
    }
  }

  /** Watches a process an earlier agent started, every {@link #ADOPTED_POLL}. */
  void watchAdopted(Job job, JobProcess.Adopted process) {
    if (closed) {
      return;
    }
    if (process.isAlive()) {
      try {
        timer.schedule(
            () -> watchAdopted(job, process), ADOPTED_POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("job {}: agent closing, stop watching process {}", job.id(), process.pid());
      }
    } else {
      runOnWorker(() -> onExit(job));
    }
  }

  /** The wrapper ended: drain the log, read the exit status, record the outcome. */
  private void onExit(Job job) {
    if (closed) {
      return;
    }
    job.lock().lock();
    try {
      if (job.exited()) {
        return;
      }
      job.markExited();
      pump.remove(job.log());
      job.log().drain();
      if (!closed) {
        finish(
            job,
            JobOutcome.of(
                job.record().stopReason(), job.directory().readExitCode(), KILLED_MESSAGE));
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("job {}: cannot record the end of its process", job.id(), e);
      if (!closed) {
        finish(job, JobOutcome.of(job.record().stopReason(), null, KILLED_MESSAGE));
      }
    } finally {
      job.lock().unlock();
    }
  }

  /** Records a terminal state and seals the log, so log readers at its end get eof. */
  void finish(Job job, JobOutcome outcome) {
    JobState state = commit(job, record -> record.finished(outcome, clock.instant())).state();
    job.log().seal();
    LOG.info(
        "job {}: {} ({}{})",
        job.id(),
        state.status().wireName(),
        outcome.reason().wireName(),
        outcome.message() == null ? "" : ": " + outcome.message());
  }

  /**
   * Applies a change with the next version and writes {@code job.json}; the caller holds the job's
   * lock.
   */
  JobRecord commit(Job job, UnaryOperator<JobRecord> change) {
    JobRecord record = table.commit(job, change);
    try {
      job.directory().writeRecord(record);
    } catch (IOException e) {
      LOG.error("job {}: cannot write {}: {}", job.id(), job.directory().record(), e.toString());
    }
    return record;
  }

  // ---- used by ContainerJobs ----

  /**
   * The job's container started, its published ports bound to {@code ports} on the host; the caller
   * holds the job's lock.
   */
  void containerStarted(Job job, long pid, Instant startedAt, Map<Integer, Integer> ports) {
    commit(job, record -> record.started(pid, null, startedAt, ports));
    pump.add(job.id(), job.log());
    scheduleMaxDuration(job, startedAt);
  }

  /** A container job this agent recovered runs on; the caller holds the job's lock. */
  void containerAdopted(Job job) {
    pump.add(job.id(), job.log());
    JobRecord record = job.record();
    if (record.stopReason() == null && record.state().startedAt() != null) {
      scheduleMaxDuration(job, record.state().startedAt());
    }
  }

  /** The job's container ended and its exit status, if known, is in the job's directory. */
  void containerEnded(Job job) {
    onExit(job);
  }

  // ---- used by JobRecovery ----

  JobTable table() {
    return table;
  }

  /** Takes over a job whose process an earlier agent started and which still runs. */
  void adopt(Job job, JobProcess.Adopted process) {
    JobRecord record = job.record();
    job.setProcess(process);
    pump.add(job.id(), job.log());
    if (record.stopReason() != null && record.killAt() != null) {
      scheduleKill(job, record.killAt());
    } else if (record.state().startedAt() != null) {
      scheduleMaxDuration(job, record.state().startedAt());
    }
    watchAdopted(job, process);
    LOG.info("job {}: recovered, process group {} still running", job.id(), process.pid());
  }

  /** The job's current state; {@link ApiException} 404 when the agent does not know it. */
  JobState state(String jobId) {
    return require(jobId).record().state();
  }

  private Job require(String jobId) {
    Job job = table.get(jobId);
    if (job == null) {
      throw ApiException.notFound("no job " + jobId + " on this agent");
    }
    return job;
  }
}
