package dev.bosun.cli;

import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import dev.bosun.api.ServerUnreachableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps one OpenSSH connection ({@code ssh -N} with the run's port forwards) to a running job open
 * until the run ends or {@link #close()}: a dropped connection is opened again while the run runs,
 * with a growing pause between tries. The connection is a live SSH session, so an attached dev
 * environment does not count as inactive.
 */
final class AttachSession implements AutoCloseable {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);
  private static final Duration STABLE = Duration.ofSeconds(30);
  private static final Duration SERVER_PATIENCE = Duration.ofMinutes(5);

  private final BosunClient client;
  private final String project;
  private final String run;
  private final Path sshConfig;
  private final String alias;
  private final List<PortForwards.Forward> forwards;
  private final PrintWriter err;
  private final Refresh refresh;
  private volatile Process ssh;
  private volatile boolean closed;

  AttachSession(
      BosunClient client,
      String project,
      String run,
      Path sshConfig,
      String alias,
      List<PortForwards.Forward> forwards,
      PrintWriter err,
      Refresh refresh) {
    this.client = client;
    this.project = project;
    this.run = run;
    this.sshConfig = sshConfig;
    this.alias = alias;
    this.forwards = List.copyOf(forwards);
    this.err = err;
    this.refresh = refresh;
  }

  /**
   * Rewrites the run's Host block for its job now: a retried run has a new job, perhaps on another
   * host, with another SSH user and host key.
   */
  interface Refresh {
    void run() throws IOException, InterruptedException;
  }

  /** The {@code ssh} command line of the connection. */
  List<String> command() {
    List<String> command = new ArrayList<>(List.of("ssh", "-F", sshConfig.toString(), "-N"));
    command.addAll(
        List.of(
            "-o", "BatchMode=yes",
            "-o", "ExitOnForwardFailure=yes",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3"));
    for (PortForwards.Forward forward : forwards) {
      command.add("-L");
      command.add(forward.sshArgument());
    }
    command.add(alias);
    return command;
  }

  /**
   * Connects and stays connected until the run ends (its last state is returned) or {@link
   * #close()} (null is returned).
   *
   * @throws CliException when a local port cannot be forwarded, or ssh cannot be started
   */
  RunInfo await() throws InterruptedException {
    Duration pause = FIRST_PAUSE;
    while (!closed) {
      Instant started = Instant.now();
      AtomicReference<String> lastError = new AtomicReference<>("");
      Process process = start(lastError);
      int exit = process.waitFor();
      if (closed) {
        return null;
      }
      RunInfo info = currentRun();
      if (isFinished(info.status())) {
        return info;
      }
      if (!"running".equals(info.status())) {
        info = awaitRunningAgain(info);
        if (info == null || isFinished(info.status())) {
          return info;
        }
        pause = FIRST_PAUSE;
      }
      try {
        refresh.run();
      } catch (RuntimeException | IOException e) {
        // reconnecting says what is wrong
      }
      String why = lastError.get();
      if (why.contains("forwarding") || why.contains("Address already in use")) {
        throw new CliException(
            ExitCodes.USAGE,
            "ssh could not forward the run's ports: " + why + "; free the local ports and retry");
      }
      pause =
          Duration.between(started, Instant.now()).compareTo(STABLE) > 0
              ? FIRST_PAUSE
              : min(pause.multipliedBy(2), LONGEST_PAUSE);
      err.println(
          "The SSH connection to "
              + run
              + " dropped ("
              + (why.isEmpty() ? "ssh exited with " + exit : why)
              + "); reconnecting in "
              + pause.toSeconds()
              + " s...");
      err.flush();
      Thread.sleep(pause.toMillis());
    }
    return null;
  }

  private Process start(AtomicReference<String> lastError) {
    Process process;
    try {
      process =
          new ProcessBuilder(command())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "cannot start ssh (" + e.getMessage() + "): install OpenSSH's client to attach");
    }
    ssh = process;
    if (closed) {
      process.destroy();
    }
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (!line.isBlank()) {
                    lastError.set(line.strip());
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    return process;
  }

  /**
   * Waits while the run is queued or starting again (a retry after its host was lost); returns it
   * once it runs or has ended, or null when closed meanwhile.
   */
  private RunInfo awaitRunningAgain(RunInfo info) throws InterruptedException {
    err.println("Run " + run + " is " + info.status() + "; waiting for it to run again...");
    err.flush();
    while (!closed) {
      Thread.sleep(1000);
      info = currentRun();
      if ("running".equals(info.status()) || isFinished(info.status())) {
        return info;
      }
    }
    return null;
  }

  /** The run now; waits out a server that cannot be reached for a while. */
  private RunInfo currentRun() throws InterruptedException {
    Instant lostSince = null;
    while (true) {
      try {
        return client.run(project, run);
      } catch (ServerUnreachableException | ApiException e) {
        boolean transientError =
            e instanceof ServerUnreachableException
                || ((ApiException) e).httpStatus() == 502
                || ((ApiException) e).httpStatus() == 503;
        if (!transientError) {
          throw e;
        }
        if (lostSince == null) {
          lostSince = Instant.now();
          err.println("Cannot reach the server (" + e.getMessage() + "); retrying...");
          err.flush();
        } else if (Instant.now().isAfter(lostSince.plus(SERVER_PATIENCE))) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  static boolean isFinished(String status) {
    return "done".equals(status) || "failed".equals(status) || "terminated".equals(status);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Drops the connection and stops reconnecting. */
  @Override
  public void close() {
    closed = true;
    Process process = ssh;
    if (process != null) {
      process.destroy();
    }
  }
}
