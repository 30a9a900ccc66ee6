package dev.bosun.agent.ssh;

/** How {@link JobSshServer} finds the running job that an SSH user name (a job id) stands for. */
@FunctionalInterface
public interface SshJobs {
  /**
   * The job, if a session may enter it now.
   *
   * @throws JobUnavailableException when the job is unknown, not running yet or any more; its
   *     message says which, in words the SSH client shows
   */
  SshJob find(String jobId) throws JobUnavailableException;
}
