package dev.bosun.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bosun delete}: forget a finished run and remove its log from its host. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete a finished run and its log.")
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's name")
  String run;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    ctx.client(connection, true).delete(ctx.config(connection).project(), run);
    ctx.out().println("Deleted run " + run);
    ctx.out().flush();
    return ExitCodes.OK;
  }
}
