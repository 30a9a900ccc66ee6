package dev.bosun.cli;

import dev.bosun.api.ApiException;
import dev.bosun.api.ServerUnreachableException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the CLI: parses, runs, and turns every error into one sentence and an exit code.
 */
public final class BosunCli {
  private BosunCli() {}

  public static int execute(String[] args, ServerRole serverRole) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    return execute(args, serverRole, out, err);
  }

  public static int execute(
      String[] args, ServerRole serverRole, PrintWriter out, PrintWriter err) {
    CliContext context = new CliContext(serverRole, out, err);
    CommandLine commandLine =
        new CommandLine(
            new BosunCommand(context),
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> cls) throws Exception {
                return CommandLine.defaultFactory().create(cls);
              }
            });
    commandLine
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parseResult) -> handle(e, err));
    commandLine
        .getSubcommands()
        .get("generate-completion")
        .getCommandSpec()
        .usageMessage()
        .hidden(false);
    return commandLine.execute(args);
  }

  private static int handle(Exception e, PrintWriter err) {
    String colour = CommandLine.Help.Ansi.AUTO.string("@|red,bold Error:|@ ");
    if (e instanceof CliException cli) {
      err.println(colour + cli.getMessage());
      return cli.exitCode();
    }
    if (e instanceof ServerUnreachableException unreachable) {
      err.println(
          colour
              + unreachable.getMessage()
              + "; is the server running? ('bosun server' starts one)");
      return ExitCodes.SERVER;
    }
    if (e instanceof ApiException api) {
      err.println(colour + api.getMessage());
      return api.isAuthenticationError()
          ? ExitCodes.SERVER
          : api.httpStatus() >= 500 ? ExitCodes.SERVER : ExitCodes.USAGE;
    }
    err.println(colour + "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
    if (System.getenv("BOSUN_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return ExitCodes.RUN_FAILED;
  }
}
