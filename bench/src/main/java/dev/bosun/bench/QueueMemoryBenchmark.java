package dev.bosun.bench;

import dev.bosun.api.Json;
import dev.bosun.api.RunInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory of a real Bosun server holding a large queue of pending runs, and the cost of its
 * scheduling passes over that queue. Builds nothing: it runs the distribution jar.
 *
 * <ol>
 *   <li>Starts {@code bosun server} on a free port with a temporary BOSUN_HOME (default JVM
 *       options, as the CLI starts it) and waits until the local instance is idle.
 *   <li>Baseline, 0 queued runs: probes (one run submitted and timed until pending, then stopped),
 *       then the memory after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}, {@code
 *       /proc/PID/status}), then the server's CPU over an idle window.
 *   <li>Fills the queue with runs no host can fit that wait for capacity: through the API (default;
 *       every submission wakes the scheduler), or by stopping the server, inserting the runs into
 *       its database through the store and starting it again, which then loads and schedules the
 *       whole queue.
 *   <li>Waits until every run is pending (counted in the database), then measures the same again.
 *   <li>Lists the runs through the API and counts them by status and wait reason; stops the server.
 * </ol>
 *
 * <p>Run with {@code bench/run-queue-memory.sh}; see docs/BENCHMARKS.md.
 */
public final class QueueMemoryBenchmark {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(60);
  private static final int HISTOGRAM_ROWS = 15;

  private QueueMemoryBenchmark() {}

  /** What was measured of a server holding {@code queued} pending runs. */
  record State(int queued, ServerMemory memory, PassProbe.Result passes, PassProbe.Idle idle) {}

  public static void main(String[] args) throws Exception {
    QueueMemoryOptions options;
    try {
      options = QueueMemoryOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "bosun-queue-memory");
    report.put("date", Instant.now().toString());
    report.put("cpus", Runtime.getRuntime().availableProcessors());
    report.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    report.put("jar", options.jar().toString());
    report.put("server_java_options", options.serverJavaOptions());
    report.put("runs", options.runs());
    report.put("fill", options.fill().name().toLowerCase());
    report.put("load_average_before", loadAverage());
    Path home = Files.createTempDirectory("bosun-bench-queue-");
    LocalServer[] server = new LocalServer[1];
    Thread cleanup =
        new Thread(
            () -> {
              close(server[0]);
              if (!options.keepHome()) {
                Cleanup.deleteTree(home);
              }
            },
            "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      long start = System.nanoTime();
      server[0] = start(options, home);
      report.put("first_start_to_ready_s", seconds(start));
      State baseline = measure(server[0], 0, "base", options.probes(), options.idleSeconds(), 0);
      State loaded = null;
      Map<String, Object> load = new LinkedHashMap<>();
      if (options.runs() > 0) {
        fill(options, home, server, load);
        loaded =
            measure(
                server[0],
                options.runs(),
                "queued",
                options.probes(),
                options.idleSeconds(),
                HISTOGRAM_ROWS);
        if (options.verify()) {
          load.put("api_statuses", verify(server[0]));
        }
      }
      load.put("database_statuses", QueueFill.statusCounts(home));
      report.put("load", load);
      report.put("load_average_after", loadAverage());
      QueueMemoryReport.print(options, report, baseline, loaded);
    } finally {
      close(server[0]);
      Runtime.getRuntime().removeShutdownHook(cleanup);
      if (options.keepHome()) {
        System.err.println("BOSUN_HOME kept at " + home);
      } else {
        Cleanup.deleteTree(home);
      }
    }
    System.out.println(Json.mapper().writeValueAsString(report));
  }

  /** Puts the runs into the queue and waits until the server shows every one pending. */
  private static void fill(
      QueueMemoryOptions options, Path home, LocalServer[] server, Map<String, Object> load)
      throws Exception {
    int runs = options.runs();
    long start = System.nanoTime();
    if (options.fill() == QueueMemoryOptions.Fill.DATABASE) {
      System.err.println("stopping the server to insert " + runs + " runs into its database");
      server[0].close();
      server[0] = null;
      start = System.nanoTime();
      QueueFill.database(home, "q", runs);
      load.put("insert_s", seconds(start));
      load.put("inserts_per_s", Math.round(runs / seconds(start)));
      start = System.nanoTime();
      server[0] = start(options, home);
      load.put("restart_to_ready_s", seconds(start));
    } else {
      int rejected = QueueFill.api(server[0].client(), "q", runs, options.submitters());
      load.put("submitters", options.submitters());
      load.put("submit_s", seconds(start));
      load.put("submits_per_s", Math.round(runs / seconds(start)));
      load.put("rejected", rejected);
    }
    QueueFill.awaitPending(home, runs, LOAD_TIMEOUT);
    load.put(
        options.fill() == QueueMemoryOptions.Fill.DATABASE
            ? "restart_to_all_pending_s"
            : "first_submit_to_all_pending_s",
        seconds(start));
  }

  private static LocalServer start(QueueMemoryOptions options, Path home) throws Exception {
    System.err.println("starting the server of " + options.jar() + " in " + home);
    LocalServer server =
        LocalServer.startIn(options.jar(), options.serverJavaOptions(), home, START_TIMEOUT);
    System.err.println("server pid " + server.pid() + " at " + server.url());
    return server;
  }

  private static State measure(
      LocalServer server, int queued, String prefix, int probes, int idleSeconds, int histogram)
      throws Exception {
    System.err.printf("measuring the server with %d queued runs%n", queued);
    PassProbe.Result passes = PassProbe.measure(server, prefix, probes);
    PassProbe.awaitQuiet(server.pid());
    ServerMemory memory = ServerMemory.sample(server.pid(), histogram);
    PassProbe.Idle idle = PassProbe.idle(server, idleSeconds);
    return new State(queued, memory, passes, idle);
  }

  /**
   * The server's own view: its active runs by status, and how many pending ones have a wait reason.
   */
  private static Map<String, Integer> verify(LocalServer server) {
    System.err.println("listing the runs through the API");
    long start = System.nanoTime();
    try {
      List<RunInfo> runs = server.client().runs(LocalServer.PROJECT, false);
      Map<String, Integer> counts = new TreeMap<>();
      for (RunInfo run : runs) {
        counts.merge(run.status(), 1, Integer::sum);
        if ("pending".equals(run.status()) && run.reasonText() != null) {
          counts.merge("pending_with_reason", 1, Integer::sum);
        }
      }
      System.err.printf("GET runs: %d runs in %.1f s%n", runs.size(), seconds(start));
      return counts;
    } catch (RuntimeException e) {
      System.err.println("listing the runs failed: " + e);
      return Map.of();
    }
  }

  private static void close(LocalServer server) {
    if (server != null) {
      server.close();
    }
  }

  private static double loadAverage() {
    return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100)
        / 100.0;
  }

  static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }
}
