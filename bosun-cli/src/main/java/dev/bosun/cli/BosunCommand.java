package dev.bosun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code bosun} command. */
@Command(
    name = "bosun",
    mixinStandardHelpOptions = true,
    versionProvider = BosunCommand.VersionProvider.class,
    description = "Bosun runs AI workloads (tasks) on the machines you have.",
    subcommands = {
      ApplyCommand.class,
      PsCommand.class,
      LogsCommand.class,
      StopCommand.class,
      DeleteCommand.class,
      FleetCommand.class,
      ProjectCommand.class,
      AttachCommand.class,
      SshProxyCommand.class,
      ServerCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:the run failed, was stopped or aborted",
      "2:usage or configuration error",
      "3:server unreachable or token refused"
    })
public final class BosunCommand implements Runnable {
  @Spec CommandSpec spec;

  private final CliContext context;

  BosunCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  /** Prints the version from the jar manifest. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BosunCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "bosun "
            + (version == null ? "0.1.0-SNAPSHOT" : version)
            + " (Java "
            + Runtime.version()
            + ")"
      };
    }
  }
}
