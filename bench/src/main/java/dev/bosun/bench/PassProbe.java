package dev.bosun.bench;

import dev.bosun.api.BosunClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the server's scheduling passes from outside. A probe submits one more run that can never
 * start and waits until the server shows it {@code pending}: the submission woke the scheduler,
 * whose pass read and planned the whole queue and marked the new run pending. The probe also counts
 * the CPU time of the scheduler's thread ({@code bosun-scheduler}) meanwhile, then stops its run so
 * the queue keeps its size.
 */
final class PassProbe {
  static final String SCHEDULER_THREAD = "bosun-scheduler";
  private static final double MS_PER_TICK = 10;
  private static final Duration QUIET = Duration.ofSeconds(1);

  /** Often enough for passes of 10 ms and more, rarely enough not to compete with them. */
  private static final long POLL_MILLIS = 10;

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private PassProbe() {}

  /**
   * Probe timings in milliseconds.
   *
   * @param wallMs apply call to the run seen pending, per probe
   * @param schedulerCpuMs CPU of the scheduler thread during each probe (10 ms resolution)
   * @param serverCpuMs CPU of the whole server process during each probe: the pass, its garbage
   *     collection, and the probe's own requests
   */
  record Result(List<Double> wallMs, List<Double> schedulerCpuMs, List<Double> serverCpuMs) {
    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("probes", wallMs.size());
      map.put("apply_to_pending_min_ms", round(min(wallMs)));
      map.put("apply_to_pending_median_ms", round(median(wallMs)));
      map.put("scheduler_cpu_min_ms", round(min(schedulerCpuMs)));
      map.put("scheduler_cpu_median_ms", round(median(schedulerCpuMs)));
      map.put("server_cpu_min_ms", round(min(serverCpuMs)));
      map.put("server_cpu_median_ms", round(median(serverCpuMs)));
      return map;
    }
  }

  /**
   * CPU use of the idle server over a window.
   *
   * @param seconds the window
   * @param serverCpuSeconds CPU of the whole server process
   * @param schedulerCpuSeconds CPU of the scheduler thread (its 10 s safety-net sweeps)
   */
  record Idle(double seconds, double serverCpuSeconds, double schedulerCpuSeconds) {
    double serverShare() {
      return seconds <= 0 ? 0 : serverCpuSeconds / seconds;
    }

    Map<String, Object> toMap() {
      return Map.of(
          "seconds", seconds,
          "server_cpu_s", round(serverCpuSeconds),
          "scheduler_cpu_s", round(schedulerCpuSeconds));
    }
  }

  static Result measure(LocalServer server, String prefix, int probes)
      throws IOException, InterruptedException {
    BosunClient client = server.client();
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> serverCpu = new ArrayList<>();
    for (int i = 0; i < probes; i++) {
      String name = prefix + "-probe-" + i;
      awaitQuiet(server.pid());
      long ticks = ServerMemory.cpuTicks(server.pid(), SCHEDULER_THREAD);
      long serverTicks = ServerMemory.cpuTicks(server.pid(), null);
      long start = System.nanoTime();
      client.apply(LocalServer.PROJECT, QueueFill.request(name));
      while (!"pending".equals(client.run(LocalServer.PROJECT, name).status())) {
        if (System.nanoTime() - start > TIMEOUT.toNanos()) {
          throw new IllegalStateException("probe run " + name + " not pending after " + TIMEOUT);
        }
        Thread.sleep(POLL_MILLIS);
      }
      wall.add((System.nanoTime() - start) / 1e6);
      awaitQuiet(server.pid());
      cpu.add((ServerMemory.cpuTicks(server.pid(), SCHEDULER_THREAD) - ticks) * MS_PER_TICK);
      serverCpu.add((ServerMemory.cpuTicks(server.pid(), null) - serverTicks) * MS_PER_TICK);
      client.stop(LocalServer.PROJECT, name, false);
      System.err.printf(
          "probe %s: %.1f ms to pending, CPU: scheduler %.0f ms, server %.0f ms%n",
          name, wall.getLast(), cpu.getLast(), serverCpu.getLast());
    }
    awaitQuiet(server.pid());
    return new Result(wall, cpu, serverCpu);
  }

  /** Watches the idle server's CPU for {@code seconds}. */
  static Idle idle(LocalServer server, int seconds) throws IOException, InterruptedException {
    long process = ServerMemory.cpuTicks(server.pid(), null);
    long scheduler = ServerMemory.cpuTicks(server.pid(), SCHEDULER_THREAD);
    long start = System.nanoTime();
    Thread.sleep(Duration.ofSeconds(seconds));
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Idle(
        round(elapsed),
        (ServerMemory.cpuTicks(server.pid(), null) - process) * MS_PER_TICK / 1000,
        (ServerMemory.cpuTicks(server.pid(), SCHEDULER_THREAD) - scheduler) * MS_PER_TICK / 1000);
  }

  /**
   * Waits until the scheduler thread has used no CPU for a second: a pass has just ended and the
   * next safety-net sweep is at least 9 s away.
   */
  static void awaitQuiet(long pid) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long last = ServerMemory.cpuTicks(pid, SCHEDULER_THREAD);
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < QUIET.toNanos()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the scheduler was not quiet within " + TIMEOUT);
      }
      Thread.sleep(50);
      long now = ServerMemory.cpuTicks(pid, SCHEDULER_THREAD);
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return 0;
    }
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
