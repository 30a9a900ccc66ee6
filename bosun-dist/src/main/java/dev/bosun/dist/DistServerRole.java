package dev.bosun.dist;

import dev.bosun.cli.CliConfig;
import dev.bosun.cli.ExitCodes;
import dev.bosun.cli.ServerRole;
import dev.bosun.server.BosunServer;
import dev.bosun.server.ServerOptions;
import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the server for {@code bosun server}, and tells the CLI how to start one in the background.
 */
final class DistServerRole implements ServerRole {

  @Override
  public int runForeground(
      String host,
      int port,
      String databaseUrl,
      boolean spread,
      boolean background,
      String pythonImage,
      java.time.Duration minInactivity,
      String servicesDomain,
      java.time.Duration replicaTimeout) {
    List<String> agent = new ArrayList<>(ServerOptions.agentCommandOfThisJvm());
    ServerOptions options;
    try {
      options =
          new ServerOptions(
              host,
              port,
              CliConfig.defaultHome(),
              databaseUrl,
              agent,
              true,
              spread,
              pythonImage,
              minInactivity,
              servicesDomain,
              replicaTimeout);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage()); // it names the option
      return ExitCodes.USAGE;
    }
    BosunServer server = new BosunServer(options);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bosun-shutdown"));
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      System.err.println("Error: the server could not start: " + describe(e, host, port));
      return ExitCodes.SERVER;
    }
    System.out.println("Bosun server listening on " + server.url());
    server
        .firstToken()
        .ifPresent(
            token -> {
              if (!background) {
                System.out.println(
                    "Admin token (shown once; saved for the CLI in "
                        + CliConfig.defaultHome().resolve("config.yml")
                        + "): "
                        + token);
              } else {
                System.out.println(
                    "Admin token saved for the CLI in "
                        + CliConfig.defaultHome().resolve("config.yml"));
              }
            });
    System.out.flush();
    try {
      server.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private static String describe(Throwable e, String host, int port) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "port "
            + port
            + " on "
            + host
            + " is in use; stop what uses it or pick another with --port";
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @Override
  public List<String> backgroundCommand(String host, int port) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(
        java,
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName(),
        "server",
        "--background",
        "--host",
        host,
        "--port",
        String.valueOf(port));
  }
}
