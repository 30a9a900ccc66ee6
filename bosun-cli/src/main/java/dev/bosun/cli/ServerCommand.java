package dev.bosun.cli;

import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.ServerUnreachableException;
import dev.bosun.api.ShutdownRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bosun server}: run the server in the foreground; {@code bosun server stop} stops a running
 * one.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run the Bosun server in the foreground.",
    subcommands = ServerCommand.Stop.class)
final class ServerCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;

  @Option(
      names = "--host",
      defaultValue = "${env:BOSUN_SERVER_HOST:-127.0.0.1}",
      description = "Address to listen on (env BOSUN_SERVER_HOST; default ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:BOSUN_SERVER_PORT:-3000}",
      description = "Port (env BOSUN_SERVER_PORT; default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--database-url",
      defaultValue = "${env:BOSUN_DATABASE_URL}",
      description =
          "JDBC URL of the state store (env BOSUN_DATABASE_URL; default SQLite in ~/.bosun/bosun.db)")
  String databaseUrl;

  @Option(
      names = "--placement",
      defaultValue = "${env:BOSUN_PLACEMENT:-binpack}",
      description =
          "How jobs are laid out on hosts: binpack (fill hosts up, keeping whole hosts free for big"
              + " runs) or spread (the least loaded host first); env BOSUN_PLACEMENT; default"
              + " ${DEFAULT-VALUE}")
  String placement;

  @Option(
      names = "--python-image",
      defaultValue = "${env:BOSUN_PYTHON_IMAGE:-python:{python}-slim}",
      description =
          "The image of runs that give python: and no image:, with {python} for the version"
              + " (env BOSUN_PYTHON_IMAGE; default ${DEFAULT-VALUE})")
  String pythonImage;

  @Option(
      names = "--min-inactivity-duration",
      paramLabel = "DURATION",
      defaultValue = "${env:BOSUN_MIN_INACTIVITY_DURATION:-1m}",
      description =
          "The shortest inactivity_duration a dev environment may give, e.g. 5m (env"
              + " BOSUN_MIN_INACTIVITY_DURATION; default ${DEFAULT-VALUE})")
  String minInactivity;

  @Option(
      names = "--services-domain",
      paramLabel = "DOMAIN",
      defaultValue = "${env:BOSUN_SERVICES_DOMAIN}",
      description =
          "A domain whose names all point at this server (a wildcard DNS record *.DOMAIN): service"
              + " RUN of project PROJECT is then also served at http://RUN.PROJECT.DOMAIN/ (env"
              + " BOSUN_SERVICES_DOMAIN; default none)")
  String servicesDomain;

  @Option(
      names = "--replica-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:BOSUN_REPLICA_TIMEOUT:-10m}",
      description =
          "How long a service's replica may stay silent during a request (before its answer starts,"
              + " or between two pieces of it) before the proxy answers 504 (env"
              + " BOSUN_REPLICA_TIMEOUT; default ${DEFAULT-VALUE})")
  String replicaTimeout;

  @Option(
      names = "--background",
      hidden = true,
      description = "Started by the CLI: do not print the token")
  boolean background;

  @Override
  public Integer call() {
    if (!placement.equals("binpack") && !placement.equals("spread")) {
      throw new CliException(
          ExitCodes.USAGE,
          "--placement '" + placement + "' is not a placement; use binpack or spread");
    }
    java.time.Duration minimum;
    try {
      minimum = dev.bosun.model.config.DurationGrammar.parse(minInactivity);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, "--min-inactivity-duration: " + e.getMessage() + ", e.g. 5m");
    }
    java.time.Duration silence;
    try {
      silence = dev.bosun.model.config.DurationGrammar.parse(replicaTimeout);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, "--replica-timeout: " + e.getMessage() + ", e.g. 10m");
    }
    if (silence.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || silence.compareTo(java.time.Duration.ofDays(365)) > 0) {
      throw new CliException(
          ExitCodes.USAGE,
          "--replica-timeout: " + replicaTimeout + " is not between 1s and 365d; give e.g. 10m");
    }
    return parent
        .context()
        .serverRole()
        .runForeground(
            host,
            port,
            databaseUrl,
            placement.equals("spread"),
            background,
            pythonImage,
            minimum,
            servicesDomain,
            silence);
  }

  /** {@code bosun server stop [--all]}. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the server; its agents and their jobs keep running unless --all.")
  static final class Stop implements Callable<Integer> {
    @ParentCommand ServerCommand server;
    @Mixin ConnectionOptions connection;

    @Option(names = "--all", description = "Also abort every running job and stop the local agent")
    boolean all;

    @Override
    public Integer call() {
      CliContext ctx = server.parent.context();
      CliConfig config = ctx.config(connection);
      BosunClient client = new BosunClient(config.server(), config.token());
      try {
        client.health();
      } catch (ServerUnreachableException e) {
        ctx.out().println("No Bosun server is running at " + config.server());
        ctx.out().flush();
        return ExitCodes.OK;
      }
      try {
        client.shutdown(new ShutdownRequest(all));
      } catch (ServerUnreachableException e) {
        // the server may close the connection as it stops: the loop below checks that it did
      }
      for (int i = 0; i < 300; i++) {
        try {
          client.health();
          CliContext.sleep(100);
        } catch (ServerUnreachableException | ApiException stopped) {
          ctx.out()
              .println(
                  "Stopped the Bosun server at "
                      + config.server()
                      + (all ? " and every job on the local fleet" : "; jobs keep running"));
          ctx.out().flush();
          return ExitCodes.OK;
        }
      }
      throw new CliException(
          ExitCodes.SERVER, "the server at " + config.server() + " did not stop within 30 s");
    }
  }
}
