package dev.bosun.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signals to a job's whole process group with {@code kill -s SIG -- -PGID}: Java can signal
 * single processes only, and walking descendants would miss the ones whose parent already ended.
 */
final class ProcessGroupSignals {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroupSignals.class);

  private static final Duration GROUP_WAIT = Duration.ofSeconds(2);
  private static final Duration GROUP_POLL = Duration.ofNanos(200_000);

  private final Path kill;

  ProcessGroupSignals(SearchPath searchPath) {
    this.kill = searchPath.find("kill", "/bin/kill", "/usr/bin/kill").orElse(Path.of("/bin/kill"));
  }

  /**
   * Waits, briefly, until {@code setsid} has made a just started process the leader of its own
   * group: a stop that comes right after the start must reach the group. Waiting here rather than
   * at start keeps submission fast.
   */
  private static void awaitOwnGroup(String jobId, JobProcess process) {
    long deadline = System.nanoTime() + GROUP_WAIT.toNanos();
    while (true) {
      Optional<ProcStat> stat = ProcStat.read(process.pid());
      if (stat.isEmpty() || !stat.get().isRunning() || stat.get().processGroup() == process.pid()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        LOG.warn(
            "job {}: process {} is not the leader of its own process group after {}",
            jobId,
            process.pid(),
            GROUP_WAIT);
        return;
      }
      try {
        Thread.sleep(GROUP_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Sends {@code signal} ({@code TERM}, {@code KILL}) to the group led by {@code process}, unless
   * the process has already ended (its pid, and so the group id, may then belong to someone else).
   *
   * @return whether the signal was delivered
   */
  boolean send(String jobId, JobProcess process, String signal) {
    if (!process.isAlive()) {
      LOG.debug(
          "job {}: process {} already ended, not sending SIG{}", jobId, process.pid(), signal);
      return false;
    }
    awaitOwnGroup(jobId, process);
    try {
      Process killer =
          new ProcessBuilder(kill.toString(), "-s", signal, "--", "-" + process.pid())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!killer.waitFor(5, TimeUnit.SECONDS)) {
        killer.destroyForcibly();
        LOG.warn(
            "job {}: {} did not finish sending SIG{} to group {}",
            jobId,
            kill,
            signal,
            process.pid());
        return false;
      }
      boolean sent = killer.exitValue() == 0;
      if (!sent) {
        LOG.debug(
            "job {}: no process left in group {} to send SIG{} to", jobId, process.pid(), signal);
      }
      return sent;
    } catch (IOException e) {
      LOG.warn(
          "job {}: cannot run {} to send SIG{} to group {}: {}",
          jobId,
          kill,
          signal,
          process.pid(),
          e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
