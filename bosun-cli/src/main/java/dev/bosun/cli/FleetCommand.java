package dev.bosun.cli;

import dev.bosun.api.FleetDeletion;
import dev.bosun.api.FleetInfo;
import dev.bosun.api.InstanceInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code bosun fleet}: fleets, their instances, resources and what is busy. */
@Command(
    name = "fleet",
    subcommands = {
      FleetCommand.Delete.class,
      FleetShareCommands.Share.class,
      FleetShareCommands.Unshare.class
    },
    mixinStandardHelpOptions = true,
    description = "List fleets and their instances.")
final class FleetCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Option(names = "--json", description = "Print JSON for scripts")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    List<FleetInfo> fleets = ctx.client(connection, true).fleets(ctx.config(connection).project());
    if (json) {
      Formats.json(ctx.out(), fleets);
      return ExitCodes.OK;
    }
    Table table =
        new Table("FLEET", "INSTANCE", "STATUS", "RESOURCES", "BUSY", "DOCKER", "AGENT", "MESSAGE");
    for (FleetInfo fleet : fleets) {
      for (InstanceInfo instance : fleet.instances()) {
        String busy =
            instance.runningJobs() == 0
                ? "-"
                : instance.runningJobs()
                    + " jobs: "
                    + instance.busyCpus()
                    + " CPU, "
                    + Formats.memory(instance.busyMemoryMb())
                    + (instance.busyGpus() == 0
                        ? ""
                        : ", "
                            + instance.busyGpus()
                            + "/"
                            + instance.resources().gpus().size()
                            + " GPUs");
        table.row(
            fleet.sharedWith().isEmpty()
                ? fleet.name()
                : fleet.name() + " (shared with " + String.join(", ", fleet.sharedWith()) + ")",
            instance.name(),
            status(instance),
            Formats.host(instance.resources()),
            busy,
            docker(instance),
            instance.agentVersion(),
            instance.message() != null ? instance.message() : dockerProblem(instance));
      }
    }
    table.print(ctx.out());
    return ExitCodes.OK;
  }

  /** The Docker version that runs the host's container jobs, {@code no GPUs} when it cannot. */
  static String docker(InstanceInfo instance) {
    var runtime = instance.resources() == null ? null : instance.resources().containers();
    if (runtime == null || !runtime.available()) {
      return "-";
    }
    boolean gpus = !instance.resources().gpus().isEmpty();
    return runtime.version() + (gpus && !runtime.gpus() ? " (no GPUs)" : "");
  }

  private static String dockerProblem(InstanceInfo instance) {
    var runtime = instance.resources() == null ? null : instance.resources().containers();
    // Only a Docker that cannot pass the GPUs is worth a message; "-" says there is no Docker.
    return runtime == null || !runtime.available() || runtime.problem() == null
        ? null
        : runtime.problem();
  }

  /** {@code idle}, {@code busy}, {@code 3/8 GPUs busy}, {@code unreachable}, … */
  static String status(InstanceInfo instance) {
    if ("busy".equals(instance.status())
        && instance.busyGpus() > 0
        && instance.resources() != null
        && instance.resources().gpus().size() > instance.busyGpus()) {
      return instance.busyGpus() + "/" + instance.resources().gpus().size() + " GPUs busy";
    }
    return instance.status();
  }

  /** {@code bosun fleet delete NAME [--force] [-d]}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete an SSH fleet: drain it (no new jobs; waits for running ones), then stop its"
              + " agents and remove what Bosun installed.")
  static final class Delete implements Callable<Integer> {
    private static final long POLL_MILLIS = 500;

    @ParentCommand FleetCommand fleet;
    @Mixin ConnectionOptions connection;

    @picocli.CommandLine.Parameters(paramLabel = "NAME", description = "The fleet's name")
    String name;

    @Option(
        names = "--force",
        description = "Stop the runs on the fleet (gracefully, with their stop_duration) first")
    boolean force;

    @Option(
        names = {"-d", "--detach"},
        description = "Return at once; the fleet is removed in the background")
    boolean detach;

    @Override
    public Integer call() throws InterruptedException {
      CliContext ctx = fleet.parent.context();
      String project = ctx.config(connection).project();
      var client = ctx.client(connection, true);
      FleetDeletion deletion = client.deleteFleet(project, name, force);
      if (deletion.jobs() > 0) {
        ctx.err()
            .println(
                "Fleet "
                    + name
                    + " is draining: "
                    + deletion.jobs()
                    + " job(s) still run there"
                    + (force ? " and are being stopped" : "")
                    + "; it takes no new jobs and is removed when they end.");
      }
      if (detach) {
        ctx.out().println("Deleting fleet " + name + " in the background");
        ctx.out().flush();
        return ExitCodes.OK;
      }
      if (deletion.jobs() > 0) {
        ctx.err().println("Waiting (Ctrl-C stops waiting, not the deletion)...");
      }
      ctx.err().flush();
      int last = deletion.jobs();
      while (true) {
        java.util.Optional<FleetInfo> current =
            client.fleets(project).stream().filter(f -> f.name().equals(name)).findFirst();
        if (current.isEmpty()) {
          break;
        }
        int jobs = current.get().instances().stream().mapToInt(InstanceInfo::runningJobs).sum();
        if (jobs != last) {
          ctx.err().println("  " + jobs + " job(s) left");
          ctx.err().flush();
          last = jobs;
        }
        Thread.sleep(POLL_MILLIS);
      }
      ctx.out().println("Deleted fleet " + name);
      ctx.out().flush();
      return ExitCodes.OK;
    }
  }
}
