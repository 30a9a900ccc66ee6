package dev.bosun.bench;

import dev.bosun.api.ApplyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Submit-to-running latency of `true` on an SSH fleet named rack: sequential runs through the REST
 * API; latency = the job's startedAt (stamped by the agent on the host) minus the time before the
 * apply call. Arguments: config.yml with the token, server URL, number of runs. Driven by
 * bench/run-ssh-latency.sh.
 */
public final class SshLatency {
  private SshLatency() {}

  public static void main(String[] args) throws Exception {
    String token =
        Files.readAllLines(Path.of(args[0])).stream()
            .filter(l -> l.startsWith("token:"))
            .findFirst()
            .orElseThrow()
            .substring(6)
            .trim()
            .replace("\"", "");
    BosunClient client = new BosunClient(URI.create(args[1]), token);
    int n = Integer.parseInt(args[2]);
    List<Double> lat = new ArrayList<>();
    for (int i = 0; i < n + 10; i++) {
      String yaml =
          "type: task\nname: s"
              + i
              + "\nfleets: [rack]\nresources: {cpu: 1, memory: 0.1GB, disk: 1GB.., gpu: 0}\ncommands: [\"true\"]\n";
      Instant t0 = Instant.now();
      client.apply("main", new ApplyRequest(yaml, "s.yml", Map.of(), null));
      RunInfo run = client.awaitFinished("main", "s" + i, Duration.ofSeconds(30));
      if (i >= 10) lat.add(Duration.between(t0, run.jobs().getLast().startedAt()).toNanos() / 1e6);
    }
    Collections.sort(lat);
    System.out.printf(
        "ssh submit-to-running over %d runs: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        n, lat.get(n / 2), lat.get((int) (n * 0.9)), lat.get((int) (n * 0.99)), lat.get(n - 1));
  }
}
