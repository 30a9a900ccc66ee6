package dev.bosun.agent;

/**
 * The wrapper process of a running job, leader of the job's own session and process group (its pid
 * is the group id).
 */
sealed interface JobProcess {
  long pid();

  /** Whether the wrapper still runs; false once it ended, even while it waits to be reaped. */
  boolean isAlive();

  /** A process this agent started: the JDK tells when it ends. */
  record Child(Process process, Long startTicks) implements JobProcess {
    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }
  }

  /**
   * A process an earlier agent started and this one found running at start. It is not this agent's
   * child, so its end is noticed by polling, and it is recognised by its start time so that a
   * reused pid is not mistaken for it.
   */
  record Adopted(long pid, long startTicks) implements JobProcess {
    @Override
    public boolean isAlive() {
      return ProcStat.read(pid)
          .filter(stat -> stat.startTicks() == startTicks && stat.isRunning())
          .isPresent();
    }
  }

  /**
   * The Docker container of a job that runs in one; Docker, not signals to a process group, stops
   * it, and the agent learns its end from Docker.
   *
   * @param pid the container's main process as the host sees it, or 0 when not known
   */
  record Container(String id, long pid) implements JobProcess {
    @Override
    public boolean isAlive() {
      return true; // its end comes from Docker (ContainerJobs), never from polling
    }
  }
}
