package dev.bosun.cli;

import dev.bosun.api.FleetInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bosun fleet share|unshare NAME PROJECT}: let another project's runs use a fleet's hosts,
 * or stop letting them. Runs of all the projects on a shared fleet are ordered by priority, then by
 * fair share between the projects (their weights, see {@code bosun project}).
 */
final class FleetShareCommands {
  private FleetShareCommands() {}

  /** {@code bosun fleet share NAME PROJECT}. */
  @Command(
      name = "share",
      mixinStandardHelpOptions = true,
      description =
          "Share one of this project's fleets with another project: its runs may then use the"
              + " fleet's hosts (it names the fleet OWNER/NAME).")
  static final class Share implements Callable<Integer> {
    @ParentCommand FleetCommand fleet;
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "NAME", description = "The fleet's name")
    String name;

    @Parameters(index = "1", paramLabel = "PROJECT", description = "The project to share it with")
    String project;

    @Override
    public Integer call() {
      CliContext ctx = fleet.parent.context();
      FleetInfo shared =
          ctx.client(connection, true).shareFleet(ctx.config(connection).project(), name, project);
      ctx.out()
          .println(
              "Fleet "
                  + name
                  + " is shared with "
                  + String.join(", ", shared.sharedWith())
                  + "; project "
                  + project
                  + " sees it as "
                  + shared.owner()
                  + "/"
                  + name);
      ctx.out().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code bosun fleet unshare NAME PROJECT}. */
  @Command(
      name = "unshare",
      mixinStandardHelpOptions = true,
      description =
          "Stop sharing a fleet with a project: its running jobs there go on to their end, no new"
              + " ones start there.")
  static final class Unshare implements Callable<Integer> {
    @ParentCommand FleetCommand fleet;
    @Mixin ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "NAME", description = "The fleet's name")
    String name;

    @Parameters(
        index = "1",
        paramLabel = "PROJECT",
        description = "The project to stop sharing with")
    String project;

    @Override
    public Integer call() {
      CliContext ctx = fleet.parent.context();
      ctx.client(connection, true).unshareFleet(ctx.config(connection).project(), name, project);
      ctx.out().println("Fleet " + name + " is no longer shared with " + project);
      ctx.out().flush();
      return ExitCodes.OK;
    }
  }
}
