package dev.bosun.bench;

import dev.bosun.api.Json;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * End-to-end latency and throughput of a real Bosun server, its local agent and real processes,
 * driven through the REST API the way the CLI drives it. Builds nothing: it runs the distribution
 * jar (see {@link EndToEndOptions}).
 *
 * <ol>
 *   <li>Starts {@code bosun server} on a free port with a temporary BOSUN_HOME and waits until the
 *       local instance is idle.
 *   <li>Latency: warm-up runs, then runs of {@code true} one at a time; for each, the time from
 *       just before the apply call to the job's {@code startedAt} (when the agent had started its
 *       process). All three processes share this machine's wall clock.
 *   <li>Throughput: many runs submitted at once by a pool of virtual threads; the time from the
 *       first submission to the last job's end.
 *   <li>Prints a table and one JSON line, and stops the server and its agent.
 * </ol>
 *
 * <p>Run with {@code bench/run-e2e.sh}; see docs/BENCHMARKS.md.
 */
public final class EndToEndBenchmark {
  static final double GOAL_P50_MS = 50;
  static final double GOAL_P99_MS = 250;
  static final double GOAL_RUNS_PER_SECOND = 200;

  private EndToEndBenchmark() {}

  public static void main(String[] args) throws Exception {
    EndToEndOptions options;
    try {
      options = EndToEndOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "bosun-e2e");
    report.put("date", Instant.now().toString());
    report.put("cpus", Runtime.getRuntime().availableProcessors());
    report.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    report.put("load_average_before", loadAverage());
    report.put("jar", options.jar().toString());
    report.put("cpu_per_run", options.cpu());
    System.err.println("starting the server of " + options.jar());
    try (LocalServer server =
        LocalServer.start(
            options.jar(),
            options.serverJavaOptions(),
            options.keepHome(),
            Duration.ofMinutes(2))) {
      Thread cleanup = new Thread(server::close, "bench-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
      System.err.println(
          "server pid "
              + server.pid()
              + " at "
              + server.url()
              + ", home "
              + server.home()
              + ", agent pid "
              + server.agentPid().map(String::valueOf).orElse("?"));
      TrueTask task = new TrueTask(server.client(), options.cpu(), options.image());
      FlightRecordings recordings = new FlightRecordings(options.profileDirectory(), server);
      LatencyPhase latency = new LatencyPhase(task);
      latency.measure("w", options.warmupRuns(), new ProgressReporter("warm-up"));
      recordings.start("latency");
      CpuUsage before = CpuUsage.sample(server);
      List<RunTiming> sequential =
          latency.measure("l", options.latencyRuns(), new ProgressReporter("latency"));
      CpuUsage latencyCpu = CpuUsage.sample(server).minus(before);
      recordings.stop("latency");
      Map<String, Object> latencyReport = latencyReport(options, sequential);
      latencyReport.put("cpu", latencyCpu.toMap(sequential.size()));
      System.out.println(latencyCpu.describe(Math.max(1, sequential.size())));
      report.put("latency", latencyReport);
      recordings.start("throughput");
      before = CpuUsage.sample(server);
      ThroughputPhase.Result burst =
          new ThroughputPhase(task).measure("t", options.throughputRuns(), options.submitters());
      CpuUsage throughputCpu = CpuUsage.sample(server).minus(before);
      recordings.stop("throughput");
      Map<String, Object> throughputReport = throughputReport(options, burst);
      throughputReport.put("cpu", throughputCpu.toMap(burst.completed()));
      System.out.println(throughputCpu.describe(Math.max(1, burst.completed())));
      report.put("throughput", throughputReport);
      report.put("load_average_after", loadAverage());
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    System.out.println(Json.mapper().writeValueAsString(report));
  }

  private static Map<String, Object> latencyReport(
      EndToEndOptions options, List<RunTiming> timings) {
    Map<String, Distribution> phases = new LinkedHashMap<>();
    phases.put("submit_to_running", of(timings, RunTiming::submitToRunningMs));
    phases.put("apply_call", of(timings, RunTiming::applyCallMs));
    phases.put("before_apply_to_run_inserted", of(timings, RunTiming::requestToInsertMs));
    phases.put("run_inserted_to_running", of(timings, RunTiming::insertToRunningMs));
    phases.put("apply_returned_to_running", of(timings, RunTiming::appliedToRunningMs));
    phases.put("process_started_to_finished", of(timings, RunTiming::processMs));
    phases.put("finished_to_client_saw_it", of(timings, RunTiming::finishToObservedMs));
    Distribution goal = phases.get("submit_to_running");
    System.out.printf(
        "%nLatency: %d sequential runs of `true` on the idle local fleet (after %d warm-up runs)%n",
        timings.size(), options.warmupRuns());
    System.out.println(Distribution.header());
    phases.forEach((name, distribution) -> System.out.println(distribution.row(name)));
    System.out.printf(
        "goal submit_to_running p50 < %.0f ms: %s; p99 < %.0f ms: %s%n",
        GOAL_P50_MS,
        verdict(goal.p50() < GOAL_P50_MS),
        GOAL_P99_MS,
        verdict(goal.p99() < GOAL_P99_MS));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runs", timings.size());
    out.put("warmup_runs", options.warmupRuns());
    out.put("not_done", timings.stream().filter(t -> !"done".equals(t.status())).count());
    phases.forEach((name, distribution) -> out.put(name, distribution.toMap()));
    out.put("goal_p50_met", goal.p50() < GOAL_P50_MS);
    out.put("goal_p99_met", goal.p99() < GOAL_P99_MS);
    return out;
  }

  private static Map<String, Object> throughputReport(
      EndToEndOptions options, ThroughputPhase.Result result) {
    Distribution underLoad = of(result.timings(), RunTiming::submitToRunningMs);
    Distribution applyCall = of(result.timings(), RunTiming::applyCallMs);
    Distribution process = of(result.timings(), RunTiming::processMs);
    System.out.printf(
        "%nThroughput: %d runs of `true` submitted at once by %d virtual threads%n",
        result.requested(), options.submitters());
    System.out.printf(
        "submission (first apply → last apply returned)  %8.2f s  (%.1f applies/s, %d rejected)%n",
        result.submissionSeconds(), result.submissionsPerSecond(), result.rejected());
    System.out.printf(
        "total (first apply → last job finished)          %8.2f s%n", result.totalSeconds());
    System.out.printf(
        "runs completed per second                        %8.1f  (10th–90th percentile of finishes: "
            + "%.1f/s)%n",
        result.runsPerSecond(), result.steadyRunsPerSecond());
    System.out.printf("final statuses                                   %s%n", result.statuses());
    System.out.println(Distribution.header());
    System.out.println(applyCall.row("apply_call (under load)"));
    System.out.println(underLoad.row("submit_to_running (queueing)"));
    System.out.println(process.row("process_started_to_finished"));
    System.out.printf(
        "goal >= %.0f runs/s: %s%n",
        GOAL_RUNS_PER_SECOND, verdict(result.runsPerSecond() >= GOAL_RUNS_PER_SECOND));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runs", result.requested());
    out.put("submitters", options.submitters());
    out.put("rejected", result.rejected());
    out.put("submission_s", round(result.submissionSeconds()));
    out.put("submissions_per_s", round(result.submissionsPerSecond()));
    out.put("total_s", round(result.totalSeconds()));
    out.put("runs_per_s", round(result.runsPerSecond()));
    out.put("steady_runs_per_s", round(result.steadyRunsPerSecond()));
    out.put("done", result.statuses().getOrDefault("done", 0));
    out.put("statuses", result.statuses());
    out.put("apply_call", applyCall.toMap());
    out.put("submit_to_running", underLoad.toMap());
    out.put("process_started_to_finished", process.toMap());
    out.put("goal_met", result.runsPerSecond() >= GOAL_RUNS_PER_SECOND);
    return out;
  }

  private static Distribution of(List<RunTiming> timings, Function<RunTiming, Double> phase) {
    return Distribution.of(timings.stream().map(phase).filter(Objects::nonNull).toList());
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static double loadAverage() {
    return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
