package dev.bosun.cli;

import dev.bosun.api.ApplyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import dev.bosun.api.RunPlan;
import dev.bosun.model.config.Configuration;
import dev.bosun.model.config.ConfigurationError;
import dev.bosun.model.config.ConfigurationException;
import dev.bosun.model.config.ConfigurationParser;
import dev.bosun.model.config.FleetConfiguration;
import dev.bosun.model.config.RunConfiguration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bosun apply}: plan, confirm, submit, then stream the run's log and exit with its outcome.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Submit a run from a configuration file, stream its log, exit with its outcome.")
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "The configuration file")
  Path file;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation")
  boolean yes;

  @Option(
      names = {"-d", "--detach"},
      description = "Submit and return without streaming the log")
  boolean detach;

  @Option(
      names = "--dry-run",
      description = "Print the plan and submit nothing (exit 0 if the file is valid)")
  boolean dryRun;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    String text = read(file);
    Configuration parsed = parseLocally(text, ctx);
    if (parsed == null) {
      return ExitCodes.USAGE;
    }
    if (parsed instanceof FleetConfiguration fleet) {
      return applyFleet(ctx, text, fleet);
    }
    RunConfiguration configuration = (RunConfiguration) parsed;
    ApplyRequest request =
        new ApplyRequest(text, file.getFileName().toString(), submitterEnv(configuration), null);
    BosunClient client = ctx.client(connection, true);
    String project = ctx.config(connection).project();
    RunPlan plan = client.plan(project, request);
    printPlan(ctx, plan);
    if (dryRun) {
      return ExitCodes.OK;
    }
    if (RunPlan.UNCHANGED.equals(plan.update())) {
      ctx.err().println("Service " + plan.runName() + " is unchanged; nothing to do.");
      return ExitCodes.OK;
    }
    if (RunPlan.ROLLING.equals(plan.update())) {
      return update(ctx, client, project, request, plan);
    }
    if (plan.existingRun() != null) {
      throw new CliException(
          ExitCodes.USAGE,
          "a run named '"
              + plan.runName()
              + "' is already "
              + plan.existingRun()
              + "; stop it with 'bosun stop "
              + plan.runName()
              + "' or rename this one");
    }
    if (!yes && !confirm(ctx, "Submit the run " + plan.runName() + "? [y/n]: ")) {
      ctx.err().println("Not submitted.");
      return ExitCodes.OK;
    }
    RunInfo run =
        client.apply(
            project,
            new ApplyRequest(text, request.fileName(), request.clientEnv(), plan.runName()));
    ctx.err().println("Submitted run " + run.name() + " (" + run.status() + ")");
    if ("service".equals(run.type())) {
      ctx.err()
          .println(
              "Service URL: "
                  + ctx.config(connection).server()
                  + "/proxy/services/"
                  + project
                  + "/"
                  + run.name()
                  + "/");
      String domain = client.health().servicesDomain();
      if (domain != null) {
        java.net.URI server = ctx.config(connection).server();
        ctx.err()
            .println(
                "Service URL: "
                    + server.getScheme()
                    + "://"
                    + run.name()
                    + "."
                    + project
                    + "."
                    + domain
                    + (server.getPort() < 0 ? "" : ":" + server.getPort())
                    + "/");
      }
      if (configuration instanceof dev.bosun.model.config.ServiceConfiguration service
          && service.model() != null) {
        ctx.err()
            .println(
                "Model URL: "
                    + ctx.config(connection).server()
                    + "/proxy/models/"
                    + project
                    + "/v1 (OpenAI API; model \""
                    + service.model().name()
                    + "\")");
      }
    }
    if (detach) {
      ctx.err()
          .println(
              "Detached. Follow it with 'bosun logs -f "
                  + run.name()
                  + "', stop it with 'bosun stop "
                  + run.name()
                  + "'.");
      return ExitCodes.OK;
    }
    CliConfig config = ctx.config(connection);
    BackgroundAttach attaching = new BackgroundAttach(ctx, client, config, run);
    Thread detachHook =
        new Thread(
            () -> {
              ctx.err().println();
              ctx.err()
                  .println(
                      "Detached; the run keeps going. Follow it with 'bosun logs -f "
                          + run.name()
                          + "'.");
              ctx.err().flush();
              attaching.close();
            });
    Runtime.getRuntime().addShutdownHook(detachHook);
    try {
      if (!run.ports().isEmpty() || "dev-environment".equals(run.type())) {
        attaching.start();
      }
      new LogFollower(client, project, run.name(), ctx.out(), ctx.err(), false, null)
          .print(true, true);
      RunInfo finished = client.awaitFinished(project, run.name(), Duration.ofSeconds(30));
      attaching.close();
      return outcome(ctx, finished);
    } finally {
      CliContext.removeShutdownHook(detachHook);
    }
  }

  static int outcome(CliContext ctx, RunInfo run) {
    String exit = run.exitStatus() == null ? "" : " (exit status " + run.exitStatus() + ")";
    if ("done".equals(run.status())) {
      ctx.err().println("Run " + run.name() + " is done" + exit);
      return ExitCodes.OK;
    }
    if (!AttachSession.isFinished(run.status())) {
      ctx.err()
          .println(
              "Run "
                  + run.name()
                  + " is still "
                  + run.status()
                  + "; follow it with 'bosun logs -f "
                  + run.name()
                  + "'");
      return ExitCodes.OK;
    }
    ctx.err().println("Run " + run.name() + " " + run.status() + ": " + run.reasonText() + exit);
    return ExitCodes.RUN_FAILED;
  }

  private static String read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          ExitCodes.USAGE, "the file " + file + " does not exist (or is not a regular file)");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private int applyFleet(CliContext ctx, String text, FleetConfiguration fleet) {
    BosunClient client = ctx.client(connection, true);
    String project = ctx.config(connection).project();
    var request = FleetApply.request(text, file, fleet);
    FleetApply.printPlan(ctx, client.planFleet(project, request));
    if (dryRun) {
      return ExitCodes.OK;
    }
    if (!yes && !confirm(ctx, "Apply the fleet " + fleet.name() + "? [y/n]: ")) {
      ctx.err().println("Not applied.");
      return ExitCodes.OK;
    }
    client.applyFleet(project, request);
    ctx.err().println("Provisioning fleet " + fleet.name() + "...");
    if (detach) {
      return ExitCodes.OK;
    }
    return FleetApply.follow(ctx, client, project, fleet.name());
  }

  /**
   * Applies a changed configuration over a running service: its replicas are replaced one at a
   * time, each new one ready before an old one stops, while the service keeps answering.
   */
  private int update(
      CliContext ctx, BosunClient client, String project, ApplyRequest request, RunPlan plan) {
    if (!yes
        && !confirm(
            ctx,
            "Update the service "
                + plan.runName()
                + "? Its replicas are replaced one at a time. [y/n]: ")) {
      ctx.err().println("Not updated.");
      return ExitCodes.OK;
    }
    RunInfo run =
        client.apply(
            project,
            new ApplyRequest(
                request.configuration(), request.fileName(), request.clientEnv(), plan.runName()));
    ctx.err()
        .println(
            "Updating service "
                + run.name()
                + ": its replicas are replaced one at a time; 'bosun ps' shows how far it got.");
    return ExitCodes.OK;
  }

  private Configuration parseLocally(String text, CliContext ctx) {
    try {
      return ConfigurationParser.parseAny(text, file.toString());
    } catch (ConfigurationException e) {
      for (ConfigurationError error : e.errors()) {
        ctx.err()
            .println(picocli.CommandLine.Help.Ansi.AUTO.string("@|red,bold Error:|@ ") + error);
      }
      ctx.err().flush();
      return null;
    }
  }

  private static Map<String, String> submitterEnv(RunConfiguration configuration) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : configuration.env().fromSubmitter()) {
      String value = System.getenv(name);
      if (value == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "the configuration takes "
                + name
                + " from your environment, but it is not set; export it or give it a value in env");
      }
      env.put(name, value);
    }
    return env;
  }

  private static void printPlan(CliContext ctx, RunPlan plan) {
    var out = ctx.out();
    String where;
    if (plan.instance() != null) {
      where = plan.fleet() + "/" + plan.instance() + " (" + plan.allocation() + ")";
    } else if (plan.neverFits()) {
      where = "none fits: " + plan.waitReason();
    } else {
      where =
          "waits: "
              + (plan.queuePosition() == null ? "" : "#" + plan.queuePosition() + " in queue; ")
              + plan.waitReason()
              + (plan.estimatedStart() == null
                  ? ""
                  : " (expected to start " + Formats.clock(plan.estimatedStart()) + ")");
    }
    new Table("", "")
        .row("Project", plan.project())
        .row("Run", plan.runName())
        .row("Type", plan.type())
        .row("Resources", plan.resources())
        .row(
            "Ports",
            plan.ports() == null || plan.ports().isEmpty() ? "-" : String.join(", ", plan.ports()))
        .row("Where", where)
        .print(out);
    out.flush();
  }

  private static boolean confirm(CliContext ctx, String question) {
    ctx.err().print(question);
    ctx.err().flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (answer == null) {
        throw new CliException(
            ExitCodes.USAGE, "no answer on standard input; pass -y to submit without asking");
      }
      return answer.trim().toLowerCase().startsWith("y");
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "cannot read the answer: " + e.getMessage());
    }
  }
}
