package dev.bosun.dist;

/**
 * Selects the logback configuration: the server logs at INFO, CLI commands only print their own
 * output.
 */
final class LogLevels {
  private LogLevels() {}

  static void quietForCli(String[] args) {
    boolean server =
        args.length > 0
            && args[0].equals("server")
            && (args.length == 1 || args[1].startsWith("-"));
    if (!server && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-cli.xml");
    }
  }
}
