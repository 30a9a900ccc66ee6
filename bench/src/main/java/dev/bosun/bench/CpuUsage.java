package dev.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time, in seconds, that each process of the benchmark has used, read from {@code /proc} (Linux
 * only; zeros elsewhere). The difference of two samples says where a phase's CPU went: the server,
 * the agent, the job processes (the agent's reaped children), this benchmark's client, and the
 * whole machine (other developers' builds included).
 *
 * @param server the server JVM
 * @param agent the agent JVM
 * @param jobs the job processes the agent started and reaped ({@code setsid}, the wrapper shell,
 *     the job's shell)
 * @param client this JVM
 * @param machineBusy non-idle CPU time of every CPU of the machine
 * @param machineTotal all CPU time of the machine (busy and idle), so {@code machineBusy /
 *     machineTotal} is its load
 */
record CpuUsage(
    double server,
    double agent,
    double jobs,
    double client,
    double machineBusy,
    double machineTotal) {
  /** Linux's USER_HZ, which {@code /proc} counts in; it is 100 on every mainstream architecture. */
  private static final double TICKS_PER_SECOND = 100;

  static CpuUsage sample(LocalServer server) {
    double[] agent = server.agentPid().map(CpuUsage::ticks).orElse(new double[4]);
    double[] serverTicks = ticks(server.pid());
    double[] client = ticks(ProcessHandle.current().pid());
    double[] machine = machine().orElse(new double[2]);
    return new CpuUsage(
        seconds(serverTicks[0] + serverTicks[1]),
        seconds(agent[0] + agent[1]),
        seconds(agent[2] + agent[3]),
        seconds(client[0] + client[1]),
        seconds(machine[0]),
        seconds(machine[1]));
  }

  CpuUsage minus(CpuUsage before) {
    return new CpuUsage(
        server - before.server,
        agent - before.agent,
        jobs - before.jobs,
        client - before.client,
        machineBusy - before.machineBusy,
        machineTotal - before.machineTotal);
  }

  /** CPU seconds of all Bosun processes and the client together. */
  double benchmarkTotal() {
    return server + agent + jobs + client;
  }

  Map<String, Object> toMap(int runs) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("server_s", round(server));
    map.put("agent_s", round(agent));
    map.put("jobs_s", round(jobs));
    map.put("client_s", round(client));
    map.put("machine_busy_s", round(machineBusy));
    map.put("machine_total_s", round(machineTotal));
    map.put("other_processes_s", round(machineBusy - benchmarkTotal()));
    if (runs > 0) {
      map.put("server_ms_per_run", round(server * 1000 / runs));
      map.put("agent_ms_per_run", round(agent * 1000 / runs));
      map.put("jobs_ms_per_run", round(jobs * 1000 / runs));
      map.put("client_ms_per_run", round(client * 1000 / runs));
    }
    return map;
  }

  String describe(int runs) {
    return String.format(
        "CPU s: server %.1f (%.1f ms/run), agent %.1f (%.1f ms/run), job processes %.1f "
            + "(%.1f ms/run), client %.1f; machine busy %.1f of %.1f CPU-s (others %.1f)",
        server,
        server * 1000 / runs,
        agent,
        agent * 1000 / runs,
        jobs,
        jobs * 1000 / runs,
        client,
        machineBusy,
        machineTotal,
        machineBusy - benchmarkTotal());
  }

  /** utime, stime, cutime, cstime of a process, in ticks. */
  private static double[] ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // the command name (field 2) may hold spaces; fields after its closing parenthesis are plain
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state): utime is field 14
      return new double[] {
        Double.parseDouble(fields[11]),
        Double.parseDouble(fields[12]),
        Double.parseDouble(fields[13]),
        Double.parseDouble(fields[14])
      };
    } catch (IOException | RuntimeException e) {
      return new double[4];
    }
  }

  /** Busy and total ticks of all CPUs, from the first line of {@code /proc/stat}. */
  private static Optional<double[]> machine() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      double total = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) {
        total += Double.parseDouble(fields[i]);
      }
      double idle = Double.parseDouble(fields[4]) + Double.parseDouble(fields[5]);
      return Optional.of(new double[] {total - idle, total});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static double seconds(double ticks) {
    return ticks / TICKS_PER_SECOND;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
