package dev.bosun.agent.ssh;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A running job as {@link JobSshServer} needs to know it: where a session of the job lands. The
 * agent describes its jobs through {@link SshJobs}.
 */
public sealed interface SshJob {
  /** The job's id, which is also the SSH user name of its sessions. */
  String jobId();

  /**
   * A job that runs as a process group on the host. Sessions run as the agent's OS user, with the
   * job's environment, in its working directory.
   *
   * @param env the job's environment as its process got it: the agent's, the job's own and what the
   *     agent adds (GPU variables, the paths of the job's files)
   * @param workingDir the job's working directory
   * @param shell the shell that runs exec requests ({@code shell -c command}) and interactive
   *     sessions ({@code shell -l})
   */
  record ProcessJob(String jobId, Map<String, String> env, Path workingDir, Path shell)
      implements SshJob {
    public ProcessJob {
      Objects.requireNonNull(jobId, "jobId is null");
      env = Map.copyOf(env);
      Objects.requireNonNull(workingDir, "workingDir is null");
      Objects.requireNonNull(shell, "shell is null");
    }
  }

  /**
   * A job that runs in a Docker container. Sessions enter the container's namespaces (the agent
   * must run as root), with the container's environment.
   *
   * @param containerId the job's container
   * @param user the user of the job's container settings (name or uid[:gid]), or null for the
   *     image's
   * @param workingDir the job's working directory as given: absolute, relative to the image's
   *     working directory, or null for the image's
   * @param shell the job's shell (name or absolute path inside the container), or null for {@code
   *     /bin/sh}
   * @param hostNetwork whether the container uses the host's network (then forwarded ports are the
   *     host's, else the container's address or its own loopback)
   */
  record ContainerJob(
      String jobId,
      String containerId,
      String user,
      String workingDir,
      String shell,
      boolean hostNetwork)
      implements SshJob {
    public ContainerJob {
      Objects.requireNonNull(jobId, "jobId is null");
      Objects.requireNonNull(containerId, "containerId is null");
    }
  }
}
