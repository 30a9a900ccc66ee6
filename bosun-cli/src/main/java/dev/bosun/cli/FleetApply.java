package dev.bosun.cli;

import dev.bosun.api.BosunClient;
import dev.bosun.api.FleetApplyRequest;
import dev.bosun.api.FleetInfo;
import dev.bosun.api.FleetPlan;
import dev.bosun.api.InstanceInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bosun apply} of a fleet file: the plan per host, then live per-host provisioning lines.
 */
final class FleetApply {
  private static final Set<String> SETTLED = Set.of("idle", "busy", "terminated", "unreachable");
  private static final Duration MAX_WAIT = Duration.ofMinutes(15);

  private FleetApply() {}

  static FleetApplyRequest request(
      String text, Path file, dev.bosun.model.config.FleetConfiguration fleet) {
    Path directory = file.toAbsolutePath().getParent();
    Map<String, String> env = new HashMap<>();
    for (String name : fleet.env().fromSubmitter()) {
      String value = System.getenv(name);
      if (value == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "the fleet file takes "
                + name
                + " from your environment, but it is not set; export it or give it a value in env");
      }
      env.put(name, value);
    }
    return new FleetApplyRequest(text, file.getFileName().toString(), directory.toString(), env);
  }

  static void printPlan(CliContext ctx, FleetPlan plan) {
    ctx.out().println("Project  " + plan.project());
    ctx.out().println("Fleet    " + plan.name());
    Table table = new Table("HOST", "ACTION", "NOW");
    for (FleetPlan.HostChange host : plan.hosts()) {
      table.row(host.host(), host.action(), host.status());
    }
    table.print(ctx.out());
  }

  /** Prints each host's step as it changes until every host settled; returns the exit code. */
  static int follow(CliContext ctx, BosunClient client, String project, String fleet) {
    Map<String, String> shown = new HashMap<>();
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<InstanceInfo> hosts =
          client.fleets(project).stream()
              .filter(f -> f.name().equals(fleet))
              .findFirst()
              .map(FleetInfo::instances)
              .orElse(List.of());
      boolean settled = !hosts.isEmpty();
      for (InstanceInfo host : hosts) {
        String line =
            host.status()
                + (host.message() == null ? "" : ": " + host.message())
                + ("idle".equals(host.status()) ? "  " + Formats.host(host.resources()) : "");
        if (!line.equals(shown.put(host.name(), line))) {
          ctx.err().println("  " + host.name() + "  " + line);
          ctx.err().flush();
        }
        settled &= SETTLED.contains(host.status());
      }
      if (settled) {
        long ready =
            hosts.stream()
                .filter(h -> "idle".equals(h.status()) || "busy".equals(h.status()))
                .count();
        long removed =
            hosts.stream()
                .filter(
                    h ->
                        "terminated".equals(h.status())
                            && "removed from the fleet".equals(h.message()))
                .count();
        long failed = hosts.size() - ready - removed;
        ctx.err()
            .println(
                "Fleet "
                    + fleet
                    + ": "
                    + ready
                    + " host(s) ready"
                    + (failed == 0
                        ? ""
                        : ", "
                            + failed
                            + " failed (see the reasons above; fix them and apply again)"));
        return failed == 0 ? ExitCodes.OK : ExitCodes.RUN_FAILED;
      }
      CliContext.sleep(300);
    }
    ctx.err()
        .println(
            "Gave up waiting after "
                + MAX_WAIT.toMinutes()
                + " minutes; 'bosun fleet' shows progress");
    return ExitCodes.RUN_FAILED;
  }
}
