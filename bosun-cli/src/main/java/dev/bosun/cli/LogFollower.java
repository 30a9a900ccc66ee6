package dev.bosun.cli;

import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import dev.bosun.api.RunLogs;
import dev.bosun.api.ServerUnreachableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Prints a run's log as it grows, follows it across retries, reports status changes while the run
 * waits, and rides out a server restart by reconnecting.
 */
final class LogFollower {
  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final Duration RECONNECT_FOR = Duration.ofMinutes(5);

  private final BosunClient client;
  private final String project;
  private final String run;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean timestamps;
  private final Instant since;
  private String lastStatus;
  private String firstJob;

  LogFollower(
      BosunClient client,
      String project,
      String run,
      PrintWriter out,
      PrintWriter err,
      boolean timestamps,
      Instant since) {
    this.client = client;
    this.project = project;
    this.run = run;
    this.out = out;
    this.err = err;
    this.timestamps = timestamps;
    this.since = since;
  }

  /** Starts at this job (and follows its node's retries) instead of the master's first job. */
  LogFollower fromJob(String jobId) {
    this.firstJob = jobId;
    return this;
  }

  /** Prints the log; with {@code follow} until the run ends, else what is there now. */
  void print(boolean follow, boolean showStatus) {
    long offset = 0;
    String jobId = firstJob;
    Instant lostSince = null;
    while (true) {
      RunLogs chunk;
      try {
        chunk = client.logs(project, run, jobId, offset, follow ? WAIT : Duration.ZERO);
        if (lostSince != null) {
          err.println("Reconnected to the server.");
          err.flush();
          lostSince = null;
        }
      } catch (ServerUnreachableException | ApiException e) {
        boolean transientError =
            e instanceof ServerUnreachableException
                || ((ApiException) e).httpStatus() == 502
                || ((ApiException) e).httpStatus() == 503;
        if (!follow || !transientError) {
          throw e;
        }
        if (lostSince == null) {
          lostSince = Instant.now();
          err.println(
              e instanceof ServerUnreachableException
                  ? "Lost the connection to the server; reconnecting (the run keeps going)..."
                  : e.getMessage() + "; retrying...");
          err.flush();
        } else if (Instant.now().isAfter(lostSince.plus(RECONNECT_FOR))) {
          throw e;
        }
        CliContext.sleep(500);
        continue;
      }
      boolean switched = jobId != null && !Objects.equals(chunk.jobId(), jobId);
      if (switched) {
        err.println("--- the run was retried; its next attempt follows ---");
      }
      jobId = chunk.jobId();
      offset = chunk.nextOffset();
      printLines(chunk.data());
      if (chunk.eof() || !follow && chunk.data().isEmpty() && !switched) {
        return;
      }
      if (showStatus && chunk.data().isEmpty()) {
        reportStatus();
      }
    }
  }

  private void reportStatus() {
    try {
      RunInfo info = client.run(project, run);
      String status =
          info.status()
              + (info.reasonText() == null || isActive(info) ? "" : ": " + info.reasonText());
      if (!status.equals(lastStatus) && !"running".equals(info.status())) {
        String eta =
            info.estimatedStart() == null
                ? ""
                : " (expected to start " + Formats.clock(info.estimatedStart()) + ")";
        err.println("Run " + run + " is " + status + eta);
        err.flush();
      }
      lastStatus = status;
    } catch (ApiException | ServerUnreachableException e) {
      // the log loop reports connection problems
    }
  }

  private static boolean isActive(RunInfo info) {
    return "running".equals(info.status()) || "provisioning".equals(info.status());
  }

  private void printLines(String data) {
    if (data.isEmpty()) {
      return;
    }
    int start = 0;
    while (start < data.length()) {
      int end = data.indexOf('\n', start);
      if (end < 0) {
        end = data.length();
      }
      String line = data.substring(start, end);
      start = end + 1;
      int space = line.indexOf(' ');
      if (space < 0) {
        out.println(line);
        continue;
      }
      if (since != null && isBefore(line.substring(0, space))) {
        continue;
      }
      out.println(timestamps ? line : line.substring(space + 1));
    }
    out.flush();
  }

  private boolean isBefore(String timestamp) {
    try {
      return Instant.parse(timestamp).isBefore(since);
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
