package dev.bosun.bench;

import dev.bosun.api.RunInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Submit-to-running latency on an idle fleet: runs one at a time, each submitted only after the
 * previous one has finished, so every run finds the host free and the queue empty.
 */
final class LatencyPhase {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  private final TrueTask task;

  LatencyPhase(TrueTask task) {
    this.task = task;
  }

  /**
   * Submits {@code runs} runs named {@code prefix-0 …} one after another and returns their timings.
   */
  List<RunTiming> measure(String prefix, int runs, ProgressReporter progress) {
    List<RunTiming> timings = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      String name = prefix + "-" + i;
      Instant beforeApply = Instant.now();
      task.apply(name);
      Instant applied = Instant.now();
      RunInfo finished = task.awaitFinished(name, RUN_TIMEOUT);
      timings.add(RunTiming.of(beforeApply, applied, finished, Instant.now()));
      progress.step(i + 1, runs);
    }
    return timings;
  }
}
