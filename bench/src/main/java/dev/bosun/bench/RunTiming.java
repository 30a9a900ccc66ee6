package dev.bosun.bench;

import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * When one benchmark run passed each point, all on this machine's wall clock (the benchmark, the
 * server and the agent run on the same host, so their {@link Instant}s compare directly).
 *
 * @param beforeApply just before the apply call (the benchmark)
 * @param applied when the apply call returned (the benchmark)
 * @param submittedAt when the server inserted the run (the server)
 * @param startedAt when the agent had started the job's process (the agent), or null if it never
 *     started
 * @param finishedAt when the agent saw the job's process end (the agent), or null
 * @param observed when the benchmark learnt that the run had finished, or null when it did not wait
 *     for it
 * @param status the run's final status
 */
record RunTiming(
    Instant beforeApply,
    Instant applied,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant observed,
    String status) {

  /** Combines the benchmark's own times with what the server reported about the finished run. */
  static RunTiming of(Instant beforeApply, Instant applied, RunInfo finished, Instant observed) {
    JobInfo job = finished.jobs().isEmpty() ? null : finished.jobs().getLast();
    return new RunTiming(
        beforeApply,
        applied,
        finished.submittedAt(),
        job == null ? null : job.startedAt(),
        job == null ? null : job.finishedAt(),
        observed,
        finished.status());
  }

  /** The goal's latency: from just before the apply call to the job's process having started. */
  Double submitToRunningMs() {
    return between(beforeApply, startedAt);
  }

  Double applyCallMs() {
    return between(beforeApply, applied);
  }

  Double requestToInsertMs() {
    return between(beforeApply, submittedAt);
  }

  Double insertToRunningMs() {
    return between(submittedAt, startedAt);
  }

  Double appliedToRunningMs() {
    return between(applied, startedAt);
  }

  Double processMs() {
    return between(startedAt, finishedAt);
  }

  Double finishToObservedMs() {
    return between(finishedAt, observed);
  }

  private static Double between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toNanos() / 1e6;
  }
}
