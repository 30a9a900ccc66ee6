package dev.bosun.agent;

import dev.bosun.agent.ssh.JobUnavailableException;
import dev.bosun.agent.ssh.SshJob;
import dev.bosun.agent.ssh.SshJobs;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.api.agent.JobState;
import dev.bosun.model.state.JobStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's jobs as the SSH server ({@code dev.bosun.agent.ssh}) sees them: a running job with
 * the environment, working directory and shell its process got from {@link JobLauncher}, or its
 * container. Reads the job table only; it changes nothing.
 */
final class JobSshTargets implements SshJobs {
  private final JobService jobs;
  private final Map<String, String> agentEnvironment;
  private final SearchPath searchPath;

  /**
   * @param agentEnvironment the environment the agent gives its jobs (its own)
   */
  JobSshTargets(JobService jobs, Map<String, String> agentEnvironment) {
    this.jobs = jobs;
    this.agentEnvironment = Map.copyOf(agentEnvironment);
    this.searchPath = SearchPath.of(agentEnvironment);
  }

  @Override
  public SshJob find(String jobId) throws JobUnavailableException {
    Job job = jobs.table().get(jobId);
    if (job == null) {
      throw new JobUnavailableException("no job " + jobId + " on this agent");
    }
    JobRecord record = job.record();
    JobState state = record.state();
    if (state.status() != JobStatus.RUNNING) {
      throw new JobUnavailableException(notRunning(jobId, state));
    }
    JobSpec spec = record.spec();
    if (spec.container() != null) {
      if (record.containerId() == null) {
        throw new JobUnavailableException("job " + jobId + " has no container yet");
      }
      return new SshJob.ContainerJob(
          jobId,
          record.containerId(),
          spec.container().user(),
          spec.workingDir(),
          spec.shell(),
          spec.container().hostNetwork());
    }
    Map<String, String> env = new HashMap<>(JobLauncher.environment(agentEnvironment, spec));
    spec.files().keySet().forEach(k -> env.put(k, job.directory().file(k).toString()));
    return new SshJob.ProcessJob(
        jobId, env, JobLauncher.workingDir(spec, job.directory()), shell(spec));
  }

  private Path shell(JobSpec spec) {
    try {
      return new JobLauncher(agentEnvironment, searchPath).shell(spec.shell());
    } catch (JobLaunchException e) {
      return Path.of("/bin/sh");
    }
  }

  /** E.g. "job j1 is not running: it is failed (exited with status 3)". */
  static String notRunning(String jobId, JobState state) {
    StringBuilder text = new StringBuilder("job ").append(jobId).append(" is not running");
    if (!state.status().isFinished()) {
      return text.append(": it is ").append(state.status().wireName()).toString();
    }
    text.append(": it is ").append(state.status().wireName());
    String reason = state.terminationReason() == null ? null : state.terminationReason().wireName();
    String detail = state.message() != null ? state.message() : null;
    if (reason != null || detail != null) {
      text.append(" (");
      text.append(reason == null ? "" : reason);
      if (detail != null) {
        text.append(reason == null ? "" : ": ").append(detail);
      } else if (state.exitStatus() != null) {
        text.append(", exit status ").append(state.exitStatus());
      }
      text.append(')');
    }
    return text.toString();
  }
}
