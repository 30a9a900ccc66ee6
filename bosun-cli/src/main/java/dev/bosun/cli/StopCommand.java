package dev.bosun.cli;

import dev.bosun.api.RunInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bosun stop}: stop a run gracefully, or abort it. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = "Stop a run: SIGTERM, then SIGKILL after its stop_duration; -x kills at once.")
final class StopCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's name")
  String run;

  @Option(
      names = {"-x", "--abort"},
      description = "Kill at once without a grace period")
  boolean abort;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    RunInfo info = ctx.client(connection, true).stop(ctx.config(connection).project(), run, abort);
    ctx.out()
        .println(
            (abort ? "Aborting" : "Stopping") + " run " + run + " (now " + info.status() + ")");
    ctx.out().flush();
    return ExitCodes.OK;
  }
}
