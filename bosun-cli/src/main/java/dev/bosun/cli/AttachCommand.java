package dev.bosun.cli;

import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import dev.bosun.api.SshTarget;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bosun attach RUN}: sets up {@code ssh RUN} into the run's job (through the server, with a
 * key of this CLI the server gives the job's agent), forwards the run's ports to localhost and
 * stays attached until Ctrl-C or the end of the run. The connections are OpenSSH's; {@code bosun
 * ssh-proxy} carries them.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description =
        "Attach to a running job: write a Host block for it into ~/.bosun/ssh/config, forward the"
            + " run's ports to localhost, print the ssh command and the IDE link, and stay attached"
            + " (reconnecting when the connection drops) until Ctrl-C or the end of the run.")
final class AttachCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's name")
  String run;

  @Option(names = "--job", paramLabel = "N", description = "The node rank (default 0)")
  int job;

  @Option(names = "--logs", description = "Stream the run's log while attached")
  boolean logs;

  @Option(
      names = {"-d", "--detach"},
      description =
          "Only write the SSH configuration and print how to connect; forward no ports and exit")
  boolean detach;

  @Option(
      names = "--include-ssh-config",
      description =
          "Add 'Include ~/.bosun/ssh/config' to ~/.ssh/config without asking, so that plain"
              + " 'ssh RUN' works")
  boolean includeSshConfig;

  @Override
  public Integer call() throws Exception {
    CliContext ctx = parent.context();
    CliConfig config = ctx.config(connection);
    BosunClient client = ctx.client(connection, true);
    RunInfo info = awaitRunning(ctx.err(), client, config.project(), run);
    AttachSession session =
        prepare(ctx, ctx.out(), client, config, info, job, detach, includeSshConfig);
    if (detach) {
      return ExitCodes.OK;
    }
    ctx.out().println("Attached; press Ctrl-C to detach (the run keeps running).");
    ctx.out().flush();
    Thread detachHook =
        new Thread(
            () -> {
              // Print first: once ssh is gone the main thread returns and closes the streams.
              ctx.err().println();
              ctx.err().println("Detached from " + run + "; it keeps running.");
              ctx.err().flush();
              session.close();
            });
    Runtime.getRuntime().addShutdownHook(detachHook);
    if (logs) {
      Thread.ofPlatform()
          .daemon()
          .start(
              () ->
                  new LogFollower(client, config.project(), run, ctx.out(), ctx.err(), false, null)
                      .print(true, false));
    }
    RunInfo end = session.await();
    if (end == null) {
      detachHook.join(5000); // detached by Ctrl-C: let the hook finish before streams close
      return ExitCodes.OK;
    }
    CliContext.removeShutdownHook(detachHook);
    return ApplyCommand.outcome(ctx, end);
  }

  /**
   * Waits while the run is queued or starting, saying so on {@code err} unless it is null.
   *
   * @throws CliException when the run does not exist or ended without running
   */
  static RunInfo awaitRunning(PrintWriter err, BosunClient client, String project, String run) {
    RunInfo info = client.run(project, run);
    String shown = null;
    while (!"running".equals(info.status())) {
      if (AttachSession.isFinished(info.status())) {
        throw new CliException(
            ExitCodes.RUN_FAILED,
            "run "
                + run
                + " is "
                + info.status()
                + (info.reasonText() == null ? "" : " (" + info.reasonText() + ")")
                + ": there is nothing to attach to");
      }
      if (err != null && !info.status().equals(shown)) {
        err.println("Run " + run + " is " + info.status() + "; waiting for it to start...");
        err.flush();
        shown = info.status();
      }
      CliContext.sleep(500);
      info = client.run(project, run);
    }
    return info;
  }

  /**
   * Sets up SSH into the run's job and prints how to use it on {@code out}; the returned session
   * forwards the run's ports once {@link AttachSession#await} runs.
   *
   * @param configOnly print the SSH command only (no ports are reserved)
   * @param include add the Include line to ~/.ssh/config without asking
   */
  static AttachSession prepare(
      CliContext ctx,
      PrintWriter out,
      BosunClient client,
      CliConfig config,
      RunInfo info,
      int job,
      boolean configOnly,
      boolean include)
      throws IOException, InterruptedException {
    String run = info.name();
    SshTarget target = client.sshTarget(config.project(), run, job);
    SshSetup setup = new SshSetup(config.home());
    setup.ensureKey(client);
    String alias = setup.writeHost(target, config.project(), proxyCommand(config, run, job));
    boolean included = includeInUserConfig(ctx, setup, include);
    List<PortForwards.Forward> forwards =
        configOnly ? List.of() : PortForwards.resolve(run, info.ports());
    out.println("Run " + run + " is reachable over SSH as " + alias + ":");
    out.println("  ssh " + (included ? "" : "-F " + setup.config() + " ") + alias);
    if (!included) {
      out.println(
          "  (add '"
              + setup.includeLine()
              + "' at the top of ~/.ssh/config for plain ssh "
              + alias
              + ")");
    }
    out.println("  " + ideLink(target, alias, workingDir(setup, alias, target)));
    for (PortForwards.Forward forward : forwards) {
      out.println(
          "  Port "
              + forward.remotePort()
              + " of the run: http://localhost:"
              + forward.localPort()
              + (forward.written().startsWith("*")
                  ? "  (any free port, from \"" + forward.written() + "\")"
                  : ""));
    }
    out.flush();
    return new AttachSession(
        client,
        config.project(),
        run,
        setup.config(),
        alias,
        forwards,
        ctx.err(),
        () ->
            setup.writeHost(
                client.sshTarget(config.project(), run, job),
                config.project(),
                proxyCommand(config, run, job)));
  }

  /**
   * The link that opens {@code dir} of the job in the run's IDE (VS Code unless it names another).
   */
  static String ideLink(SshTarget target, String alias, String dir) {
    String ide = target.ide() == null ? "vscode" : target.ide();
    String name =
        switch (ide) {
          case "cursor" -> "Cursor";
          case "windsurf" -> "Windsurf";
          default -> "VS Code";
        };
    return name + ": " + ide + "://vscode-remote/ssh-remote+" + alias + dir;
  }

  /**
   * The directory sessions start in, for the IDE link: the run's absolute working_dir, else what
   * the job says over SSH (its own directory on the host, or the container's), else {@code /}.
   */
  private static String workingDir(SshSetup setup, String alias, SshTarget target) {
    if (target.workingDir() != null) {
      return target.workingDir();
    }
    try {
      Process pwd =
          new ProcessBuilder(
                  "ssh", "-F", setup.config().toString(), "-o", "BatchMode=yes", alias, "pwd")
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!pwd.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        pwd.destroyForcibly();
        return "/";
      }
      String dir = new String(pwd.getInputStream().readAllBytes()).strip();
      return pwd.exitValue() == 0 && dir.startsWith("/") && !dir.contains("\n") ? dir : "/";
    } catch (IOException e) {
      return "/";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "/";
    }
  }

  /**
   * Whether the user's ~/.ssh/config includes Bosun's: already, or now with their consent (asked
   * once, on a terminal; {@code include} consents without asking).
   */
  private static boolean includeInUserConfig(CliContext ctx, SshSetup setup, boolean include)
      throws IOException {
    Path userConfig = Path.of(System.getProperty("user.home"), ".ssh", "config");
    if (setup.isIncluded(userConfig)) {
      return true;
    }
    if (!include) {
      if (!isTerminal() || Files.exists(setup.declinedMarker())) {
        return false;
      }
      ctx.err()
          .print(
              "Add '"
                  + setup.includeLine()
                  + "' to "
                  + userConfig
                  + " so that plain 'ssh RUN' and IDEs find Bosun's runs? [y/n]: ");
      ctx.err().flush();
      String answer = System.console().readLine();
      if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
        Files.writeString(setup.declinedMarker(), "asked; the answer was no\n");
        ctx.err().println("Not added; you will not be asked again.");
        return false;
      }
    }
    setup.include(userConfig);
    ctx.err().println("Added '" + setup.includeLine() + "' to " + userConfig + ".");
    return true;
  }

  /** Whether standard input and output are a terminal that can be asked. */
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ gives a Console even when redirected and says so here.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** How OpenSSH starts {@code bosun ssh-proxy}: this JVM and jar, this CLI's home and server. */
  private static List<String> proxyCommand(CliConfig config, String run, int job) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add(quote("BOSUN_HOME=" + config.home()));
    command.add(quote("BOSUN_SERVER_URL=" + config.server()));
    command.add(quote(ProcessHandle.current().info().command().orElse("java")));
    command.add("-jar");
    try {
      command.add(
          quote(
              Path.of(
                      BosunCommand.class
                          .getProtectionDomain()
                          .getCodeSource()
                          .getLocation()
                          .toURI())
                  .toString()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    command.add("ssh-proxy");
    command.add("--project");
    command.add(quote(config.project()));
    command.add("--job");
    command.add(String.valueOf(job));
    command.add(quote(run));
    return command;
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
