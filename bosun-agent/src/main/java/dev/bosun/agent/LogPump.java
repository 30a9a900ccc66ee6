package dev.bosun.agent;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the output of every running job into its log, every {@value #INTERVAL_MS} ms on one shared
 * timer thread: a tick costs one {@code stat} per running job when nothing was printed, so
 * thousands of jobs stay cheap.
 */
final class LogPump {
  private static final Logger LOG = LoggerFactory.getLogger(LogPump.class);
  static final long INTERVAL_MS = 25;

  /** The logs of running jobs, with their job ids for log lines. */
  private final Map<JobLog, String> active = new ConcurrentHashMap<>();

  private final Map<JobLog, Boolean> warned = new ConcurrentHashMap<>();

  LogPump(ScheduledExecutorService timer) {
    timer.scheduleWithFixedDelay(this::tick, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  void add(String jobId, JobLog log) {
    active.put(log, jobId);
  }

  void remove(JobLog log) {
    active.remove(log);
    warned.remove(log);
  }

  /** Closes the open outputs; call after the timer has stopped. */
  void close() {
    active.keySet().forEach(JobLog::closeOutput);
    active.clear();
  }

  private void tick() {
    active.forEach(
        (log, jobId) -> {
          try {
            log.pump();
            warned.remove(log);
          } catch (IOException | RuntimeException e) {
            if (warned.put(log, Boolean.TRUE) == null) {
              LOG.warn("job {}: cannot move output into the log: {}", jobId, e.toString());
            }
          }
        });
  }
}
