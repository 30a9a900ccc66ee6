package dev.bosun.agent;

import dev.bosun.model.state.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every {@code jobs/<id>/job.json} at agent start. Finished jobs are served as they are. A
 * job recorded as running whose process is still alive (same pid and same start time, so not a
 * reused pid) is adopted: its log pump resumes from the checkpoint and its end is watched. A job
 * whose process ended while no agent watched gets its outcome from {@code exit_code}, or fails as
 * lost when there is none.
 */
final class JobRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecovery.class);
  static final String ENDED_UNWATCHED =
      "the job's process ended while the agent was down and left no exit status";
  static final String NEVER_STARTED = "the agent stopped before it recorded the job's process";

  private final JobService service;
  private final Path jobsDir;
  private final InstantSource clock;

  JobRecovery(JobService service, Path jobsDir, InstantSource clock) {
    this.service = service;
    this.jobsDir = jobsDir;
    this.clock = clock;
  }

  void run() throws IOException {
    List<Job> unfinished = new ArrayList<>();
    // load everything first, so the version counter is above every recorded version before anything
    // changes
    for (Path root : jobDirectories()) {
      Job job = load(new JobDirectory(root));
      if (job != null) {
        service.table().load(job);
        if (!job.record().state().status().isFinished()) {
          unfinished.add(job);
        }
      }
    }
    for (Job job : unfinished) {
      job.lock().lock();
      try {
        resume(job);
      } catch (IOException | RuntimeException e) {
        LOG.error("job {}: cannot recover", job.id(), e);
      } finally {
        job.lock().unlock();
      }
    }
  }

  private List<Path> jobDirectories() throws IOException {
    if (!Files.isDirectory(jobsDir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(jobsDir)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    }
  }

  private Job load(JobDirectory directory) {
    if (!Files.exists(directory.record())) {
      LOG.warn("skipping {}: it has no job.json", directory.root());
      return null;
    }
    try {
      JobRecord record = directory.readRecord();
      if (!directory.root().getFileName().toString().equals(record.spec().jobId())) {
        LOG.warn(
            "skipping {}: its job.json is for job {}", directory.root(), record.spec().jobId());
        return null;
      }
      boolean finished = record.state().status().isFinished();
      JobLog log = finished ? JobLog.sealed(directory, clock) : JobLog.resume(directory, clock);
      return new Job(record, directory, log, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("skipping {}: cannot read its job.json: {}", directory.root(), e.toString());
      return null;
    }
  }

  private void resume(Job job) throws IOException {
    JobRecord record = job.record();
    if (record.spec().container() != null) {
      service.containers().resume(job);
      return;
    }
    Long pid = record.state().pid();
    JobStatus status = record.state().status();
    boolean started =
        (status == JobStatus.RUNNING || status == JobStatus.TERMINATING) && pid != null;
    if (started && record.processStartTicks() != null) {
      JobProcess.Adopted process = new JobProcess.Adopted(pid, record.processStartTicks());
      if (process.isAlive()) {
        service.adopt(job, process);
        return;
      }
    }
    job.markExited();
    job.log().drain();
    Integer exitStatus = job.directory().readExitCode();
    JobOutcome outcome =
        JobOutcome.of(record.stopReason(), exitStatus, started ? ENDED_UNWATCHED : NEVER_STARTED);
    LOG.info("job {}: its process ended while the agent was down", job.id());
    service.finish(job, outcome);
  }
}
