package dev.bosun.cli;

import dev.bosun.api.BosunClient;
import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code bosun ps}: the runs of the project. */
@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    description = "List runs: active ones, or all with -a.")
final class PsCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-a", "--all"},
      description = "Include finished runs")
  boolean all;

  @Option(names = "--json", description = "Print JSON for scripts")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    BosunClient client = ctx.client(connection, true);
    List<RunInfo> runs = client.runs(ctx.config(connection).project(), all);
    if (json) {
      Formats.json(ctx.out(), runs);
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      ctx.out().println(all ? "No runs." : "No active runs (bosun ps -a shows finished ones).");
      ctx.out().flush();
      return ExitCodes.OK;
    }
    Instant now = Instant.now();
    Table table = new Table("NAME", "STATUS", "RESOURCES", "INSTANCE", "SUBMITTED", "REASON");
    for (RunInfo run : runs) {
      JobInfo job = run.jobs().isEmpty() ? null : run.jobs().getLast();
      String instance =
          job == null || job.instance() == null
              ? null
              : job.fleet()
                  + "/"
                  + job.instance()
                  + (job.gpus() == null || job.gpus().isEmpty() ? "" : " GPU " + job.gpus());
      String reason = run.reasonText();
      if (run.queuePosition() != null) {
        reason = "#" + run.queuePosition() + " in queue" + (reason == null ? "" : "; " + reason);
      }
      if (run.exitStatus() != null && !"done".equals(run.status())) {
        reason = (reason == null ? "" : reason + "; ") + "exit status " + run.exitStatus();
      }
      if (run.estimatedStart() != null) {
        reason =
            (reason == null ? "" : reason + "; ")
                + "expected to start "
                + Formats.clock(run.estimatedStart());
      }
      table.row(
          run.name(),
          run.status(),
          run.resources(),
          instance,
          Formats.ago(run.submittedAt(), now),
          reason);
      if ("service".equals(run.type()) && !run.jobs().isEmpty() && !"done".equals(run.status())) {
        replicaRows(table, run, now);
      }
    }
    table.print(ctx.out());
    return ExitCodes.OK;
  }

  /**
   * A service's replicas under it: each one's current job, where it runs and whether it is ready.
   */
  private static void replicaRows(Table table, RunInfo run, Instant now) {
    java.util.Map<Integer, JobInfo> current = new java.util.TreeMap<>();
    for (JobInfo job : run.jobs()) {
      current.merge(job.jobNum(), job, (a, b) -> a.submissionNum() >= b.submissionNum() ? a : b);
    }
    for (JobInfo job : current.values()) {
      String status = job.ready() == null ? job.status() : job.ready() ? "ready" : "not ready";
      String reason =
          job.ready() == Boolean.TRUE
              ? null
              : job.message() != null ? job.message() : job.terminationReason();
      table.row(
          "  replica " + job.jobNum(),
          status,
          null,
          job.instance() == null ? null : job.fleet() + "/" + job.instance(),
          Formats.ago(job.submittedAt(), now),
          job.submissionNum() > 0
              ? "replaced " + job.submissionNum() + "x" + (reason == null ? "" : "; " + reason)
              : reason);
    }
  }
}
