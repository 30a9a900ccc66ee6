package dev.bosun.bench;

import dev.bosun.api.ApplyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import dev.bosun.model.state.RunStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's run: a task whose only command is {@code true}, small enough that two fit on a
 * 2-CPU host.
 */
final class TrueTask {
  private static final Duration LONG_POLL = Duration.ofSeconds(20);

  private final BosunClient client;
  private final String cpu;
  private final String image;

  /**
   * @param image the image the task runs in, or null to run it as a process
   */
  TrueTask(BosunClient client, String cpu, String image) {
    this.client = client;
    this.cpu = cpu;
    this.image = image;
  }

  String configuration(String name) {
    return """
        type: task
        name: %s
        resources:
          cpu: %s
          memory: 0.1GB
          disk: 1GB..
        commands:
          - "true"
        """
            .formatted(name, cpu)
        + (image == null ? "" : "image: " + image + "\n");
  }

  RunInfo apply(String name) {
    return client.apply(
        LocalServer.PROJECT,
        new ApplyRequest(configuration(name), "bench.bosun.yml", Map.of(), null));
  }

  /** Waits, by the server's long poll, until the run has finished; fails after {@code timeout}. */
  RunInfo awaitFinished(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      RunInfo run = client.awaitFinished(LocalServer.PROJECT, name, LONG_POLL);
      if (isFinished(run)) {
        return run;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "run "
                + name
                + " still "
                + run.status()
                + " after "
                + timeout
                + ": "
                + run.reasonText());
      }
    }
  }

  static boolean isFinished(RunInfo run) {
    return RunStatus.valueOf(run.status().toUpperCase(Locale.ROOT)).isFinished();
  }
}
