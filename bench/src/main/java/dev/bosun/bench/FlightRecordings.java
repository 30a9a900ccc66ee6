package dev.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Optional Java Flight Recordings of the server and the agent during a phase, started and dumped
 * with {@code jcmd} (the processes run unchanged, with the {@code profile} settings: method samples
 * every 10 ms or 20 ms, locks, I/O). Read them with e.g. {@code jfr view hot-methods
 * server-throughput.jfr}.
 */
final class FlightRecordings {
  private final Path directory;
  private final LocalServer server;

  /**
   * @param directory where recordings go, or null to record nothing
   */
  FlightRecordings(Path directory, LocalServer server) {
    this.directory = directory;
    this.server = server;
  }

  /** Starts recordings named {@code phase}; a no-op without a directory. */
  void start(String phase) {
    if (directory == null) {
      return;
    }
    for (Target target : targets()) {
      jcmd(target.pid(), "JFR.start", "name=" + phase, "settings=profile");
    }
  }

  /**
   * Stops the recordings of {@code phase} and writes {@code server-PHASE.jfr} and {@code
   * agent-PHASE.jfr}.
   */
  void stop(String phase) {
    if (directory == null) {
      return;
    }
    for (Target target : targets()) {
      Path file = directory.resolve(target.name() + "-" + phase + ".jfr").toAbsolutePath();
      jcmd(target.pid(), "JFR.stop", "name=" + phase, "filename=" + file);
      System.err.println("flight recording: " + file);
    }
  }

  private record Target(String name, long pid) {}

  private List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("server", server.pid()));
    Optional<Long> agent = server.agentPid();
    agent.ifPresent(pid -> targets.add(new Target("agent", pid)));
    return targets;
  }

  private void jcmd(long pid, String... command) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(String.valueOf(pid));
    line.addAll(List.of(command));
    try {
      Files.createDirectories(directory);
      Process process =
          new ProcessBuilder(line)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(directory.resolve("jcmd.log").toFile()))
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        System.err.println("jcmd " + String.join(" ", command) + " did not finish");
      }
    } catch (IOException e) {
      System.err.println("cannot run jcmd: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
