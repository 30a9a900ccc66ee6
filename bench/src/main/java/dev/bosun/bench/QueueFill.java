package dev.bosun.bench;

import dev.bosun.api.ApplyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.model.state.RunStatus;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import dev.bosun.store.StoreFactory;
import dev.bosun.store.UserRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts runs into a server's queue that no host of the local fleet can ever fit (8 H100 GPUs) but
 * that wait for capacity ({@code retry: on_events: [no-capacity]}), so they stay pending for as
 * long as the server runs; and counts the runs in the server's database by status.
 */
final class QueueFill {
  static final String FILE_NAME = "queue.bosun.yml";

  private QueueFill() {}

  static String configuration(String name) {
    return """
        type: task
        name: %s
        resources:
          gpu: H100:8
        retry:
          on_events: [no-capacity]
          duration: 1d
        commands:
          - python train.py
        """
        .formatted(name);
  }

  static ApplyRequest request(String name) {
    return new ApplyRequest(configuration(name), FILE_NAME, Map.of(), null);
  }

  /** Submits the runs through the API; returns how many were rejected. */
  static int api(BosunClient client, String prefix, int runs, int submitters)
      throws InterruptedException {
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ProgressReporter progress = new ProgressReporter("submitted");
    try (ExecutorService pool =
        Executors.newFixedThreadPool(submitters, Thread.ofVirtual().factory())) {
      for (int i = 0; i < runs; i++) {
        String name = prefix + "-" + i;
        pool.execute(
            () -> {
              try {
                client.apply(LocalServer.PROJECT, request(name));
              } catch (RuntimeException e) {
                if (rejected.incrementAndGet() <= 5) {
                  System.err.println("apply of " + name + " failed: " + e);
                }
              }
              progress.step(done.incrementAndGet(), runs);
            });
      }
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.DAYS);
    }
    return rejected.get();
  }

  /**
   * Inserts the runs into the database of a stopped server, each in its own transaction through
   * {@link Store#insertRun} with the records {@code RunService.apply} builds: status {@code
   * submitted}, one job, submitted by {@code admin} to project {@code main}.
   */
  static void database(Path home, String prefix, int runs) {
    try (Store store = StoreFactory.sqlite(home.resolve("bosun.db"), InstantSource.system())) {
      ProjectRecord project = store.project(LocalServer.PROJECT).orElseThrow();
      UserRecord user = store.userByName("admin").orElseThrow();
      ProgressReporter progress = new ProgressReporter("inserted");
      for (int i = 0; i < runs; i++) {
        String name = prefix + "-" + i;
        Instant now = Instant.now();
        String runId = UUID.randomUUID().toString();
        RunRecord run =
            new RunRecord(
                runId,
                project.id(),
                project.name(),
                user.id(),
                user.name(),
                name,
                "task",
                RunStatus.SUBMITTED,
                configuration(name),
                FILE_NAME,
                Map.of(),
                0,
                now,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0);
        JobRecord job = JobRecord.submitted(UUID.randomUUID().toString(), runId, 0, 0, now);
        store.insertRun(run, List.of(job));
        progress.step(i + 1, runs);
      }
    }
  }

  /**
   * Runs by status ({@code PENDING}, {@code SUBMITTED}, …), read from the database through a
   * read-only connection of its own (WAL: it never blocks the server's writer).
   */
  static Map<String, Integer> statusCounts(Path home) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    Map<String, Integer> counts = new TreeMap<>();
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:sqlite:" + home.resolve("bosun.db").toAbsolutePath(), properties);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT status, COUNT(*) FROM runs GROUP BY status")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }

  /** Waits until {@code runs} runs are pending; fails if any run failed meanwhile. */
  static void awaitPending(Path home, int runs, Duration timeout)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ProgressReporter progress = new ProgressReporter("pending");
    while (true) {
      Map<String, Integer> counts = statusCounts(home);
      int pending = counts.getOrDefault(RunStatus.PENDING.name(), 0);
      progress.step(Math.min(pending, runs), runs);
      if (pending >= runs) {
        return;
      }
      if (counts.getOrDefault(RunStatus.FAILED.name(), 0) > 0) {
        throw new IllegalStateException("runs failed instead of waiting: " + counts);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not all runs pending after " + timeout + ": " + counts);
      }
      Thread.sleep(100);
    }
  }
}
