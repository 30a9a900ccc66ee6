package dev.bosun.bench;

import dev.bosun.api.RunInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput: many runs submitted at once by a pool of virtual threads, then waited for until every
 * one has finished. The benchmark waits for the runs one at a time, in the order their submissions
 * returned, with the server's long poll, so that waiting adds one request per finished run rather
 * than thousands of concurrent pollers.
 */
final class ThroughputPhase {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

  private final TrueTask task;

  ThroughputPhase(TrueTask task) {
    this.task = task;
  }

  /**
   * What the phase saw.
   *
   * @param firstSubmit just before the first apply call
   * @param allSubmitted when the last apply call returned
   * @param lastFinish the latest {@code finishedAt} of any job, as the agent recorded it
   * @param allObserved when the benchmark had seen every run finished
   * @param rejected apply calls that failed
   * @param statuses final run statuses and how many runs ended in each
   * @param timings the timings of every accepted run, in submission order
   */
  record Result(
      int requested,
      Instant firstSubmit,
      Instant allSubmitted,
      Instant lastFinish,
      Instant allObserved,
      int rejected,
      Map<String, Integer> statuses,
      List<RunTiming> timings) {
    double submissionSeconds() {
      return seconds(firstSubmit, allSubmitted);
    }

    double totalSeconds() {
      return seconds(firstSubmit, lastFinish == null ? allObserved : lastFinish);
    }

    int completed() {
      return timings.size();
    }

    double runsPerSecond() {
      return totalSeconds() <= 0 ? 0 : completed() / totalSeconds();
    }

    double submissionsPerSecond() {
      return submissionSeconds() <= 0 ? 0 : (requested - rejected) / submissionSeconds();
    }

    /**
     * Finished runs per second between the 10th and the 90th percentile of finishes: the rate once
     * under way.
     */
    double steadyRunsPerSecond() {
      List<Instant> finishes =
          timings.stream().map(RunTiming::finishedAt).filter(Objects::nonNull).sorted().toList();
      if (finishes.size() < 20) {
        return runsPerSecond();
      }
      int from = finishes.size() / 10;
      int to = finishes.size() * 9 / 10;
      double seconds = seconds(finishes.get(from), finishes.get(to));
      return seconds <= 0 ? 0 : (to - from) / seconds;
    }

    private static double seconds(Instant from, Instant to) {
      return Duration.between(from, to).toNanos() / 1e9;
    }
  }

  private record Submitted(String name, Instant beforeApply, Instant applied) {}

  Result measure(String prefix, int runs, int submitters) throws InterruptedException {
    ConcurrentLinkedQueue<Submitted> submitted = new ConcurrentLinkedQueue<>();
    AtomicInteger rejected = new AtomicInteger();
    ProgressReporter submitting = new ProgressReporter("throughput: submitted");
    AtomicInteger done = new AtomicInteger();
    Instant firstSubmit = Instant.now();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(submitters, Thread.ofVirtual().factory())) {
      for (int i = 0; i < runs; i++) {
        String name = prefix + "-" + i;
        pool.execute(
            () -> {
              Instant beforeApply = Instant.now();
              try {
                task.apply(name);
                submitted.add(new Submitted(name, beforeApply, Instant.now()));
              } catch (RuntimeException e) {
                if (rejected.incrementAndGet() <= 5) {
                  System.err.println("apply of " + name + " failed: " + e);
                }
              }
              submitting.step(done.incrementAndGet(), runs);
            });
      }
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.HOURS);
    }
    Instant allSubmitted = Instant.now();
    List<Submitted> order = new ArrayList<>(submitted);
    order.sort(Comparator.comparing(Submitted::applied));
    ProgressReporter finishing = new ProgressReporter("throughput: finished");
    List<RunTiming> timings = new ArrayList<>(order.size());
    Map<String, Integer> statuses = new TreeMap<>();
    for (Submitted run : order) {
      RunInfo finished = task.awaitFinished(run.name(), RUN_TIMEOUT);
      timings.add(RunTiming.of(run.beforeApply(), run.applied(), finished, Instant.now()));
      statuses.merge(finished.status(), 1, Integer::sum);
      finishing.step(timings.size(), order.size());
    }
    Instant allObserved = Instant.now();
    Instant lastFinish =
        timings.stream()
            .map(RunTiming::finishedAt)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    return new Result(
        runs,
        firstSubmit,
        allSubmitted,
        lastFinish,
        allObserved,
        rejected.get(),
        statuses,
        timings);
  }
}
