package dev.bosun.cli;

import dev.bosun.api.CreateProjectRequest;
import dev.bosun.api.ProjectInfo;
import dev.bosun.api.UpdateProjectRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bosun project}: the projects you are a member of, with their fair-share weights; an admin
 * creates projects and sets weights.
 */
@Command(
    name = "project",
    subcommands = {ProjectCommand.Create.class, ProjectCommand.Set.class},
    mixinStandardHelpOptions = true,
    description =
        "List your projects with their members and fair-share weights (a project of weight 2 gets"
            + " twice the GPU-hours of one of weight 1 on the fleets they share).")
final class ProjectCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Option(names = "--json", description = "Print JSON for scripts")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    List<ProjectInfo> projects = ctx.client(connection, true).projects();
    if (json) {
      Formats.json(ctx.out(), projects);
      return ExitCodes.OK;
    }
    Table table = new Table("PROJECT", "WEIGHT", "MEMBERS");
    for (ProjectInfo project : projects) {
      table.row(project.name(), weight(project.weight()), String.join(", ", project.members()));
    }
    table.print(ctx.out());
    return ExitCodes.OK;
  }

  static String weight(double weight) {
    return weight == Math.rint(weight) ? String.valueOf((long) weight) : String.valueOf(weight);
  }

  /** {@code bosun project create NAME [--member USER]... [--weight W]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a project (admin).")
  static final class Create implements Callable<Integer> {
    @ParentCommand ProjectCommand project;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "NAME", description = "The project's name")
    String name;

    @Option(
        names = "--member",
        paramLabel = "USER",
        description = "A member (repeatable); you are one")
    List<String> members = List.of();

    @Option(names = "--weight", paramLabel = "W", description = "Its fair-share weight (default 1)")
    Double weight;

    @Override
    public Integer call() {
      CliContext ctx = project.parent.context();
      ctx.client(connection, true).createProject(new CreateProjectRequest(name, members, weight));
      ctx.out().println("Created project " + name);
      ctx.out().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code bosun project set NAME --weight W}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Change a project's fair-share weight (admin); the queue reorders at once.")
  static final class Set implements Callable<Integer> {
    @ParentCommand ProjectCommand project;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "NAME", description = "The project's name")
    String name;

    @Option(
        names = "--weight",
        paramLabel = "W",
        required = true,
        description = "Its fair-share weight: above 0, at most 1000")
    double weight;

    @Override
    public Integer call() {
      CliContext ctx = project.parent.context();
      ProjectInfo updated =
          ctx.client(connection, true).updateProject(name, new UpdateProjectRequest(weight));
      ctx.out().println("Project " + name + " has weight " + weight(updated.weight()));
      ctx.out().flush();
      return ExitCodes.OK;
    }
  }
}
