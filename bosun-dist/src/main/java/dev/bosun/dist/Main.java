package dev.bosun.dist;

import dev.bosun.agent.AgentMain;
import dev.bosun.cli.BosunCli;

/**
 * The single {@code bosun} entry point. {@code bosun agent ...} runs the host agent (started by the
 * server, not by people); everything else is the CLI, whose {@code server} command runs the server
 * through {@link DistServerRole}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("agent")) {
      String[] rest = new String[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      AgentMain.main(rest);
      return;
    }
    LogLevels.quietForCli(args);
    int code = BosunCli.execute(args, new DistServerRole());
    System.exit(code);
  }
}
