package dev.bosun.cli;

import dev.bosun.api.BosunClient;
import dev.bosun.api.SshTarget;
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
 * key of this CLI the server gives the job's agent) and prints how to use it. The connection itself
 * is OpenSSH's; {@code bosun ssh-proxy} carries it.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description =
        "Set up SSH access to a running job: writes a Host block for it into ~/.bosun/ssh/config"
            + " (use it with ssh -F, or Include it from ~/.ssh/config) and prints the ssh command"
            + " and the VS Code link.")
final class AttachCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's name")
  String run;

  @Option(names = "--job", paramLabel = "N", description = "The node rank (default 0)")
  int job;

  @Override
  public Integer call() throws Exception {
    CliContext ctx = parent.context();
    CliConfig config = ctx.config(connection);
    BosunClient client = ctx.client(connection, true);
    SshTarget target = client.sshTarget(config.project(), run, job);
    SshSetup setup = new SshSetup(config.home());
    setup.ensureKey(client);
    String alias = setup.writeHost(target, config.project(), proxyCommand(config));
    ctx.out().println("Run " + run + " is reachable over SSH as " + alias + ":");
    ctx.out().println("  ssh -F " + setup.config() + " " + alias);
    ctx.out()
        .println(
            "  (or add 'Include "
                + setup.config()
                + "' at the top of ~/.ssh/config, then: ssh "
                + alias
                + ")");
    ctx.out().println("  VS Code: vscode://vscode-remote/ssh-remote+" + alias + "/");
    ctx.out().flush();
    return ExitCodes.OK;
  }

  /** How OpenSSH starts {@code bosun ssh-proxy}: this JVM and jar, this CLI's home and server. */
  private List<String> proxyCommand(CliConfig config) {
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
