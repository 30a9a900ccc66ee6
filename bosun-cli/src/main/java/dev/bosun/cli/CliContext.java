package dev.bosun.cli;

import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.ServerUnreachableException;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every command needs: the resolved configuration, a client, and a way to start a local
 * server.
 */
public final class CliContext {
  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(90);

  private final ServerRole serverRole;
  private final PrintWriter out;
  private final PrintWriter err;
  private CliConfig config;

  public CliContext(ServerRole serverRole, PrintWriter out, PrintWriter err) {
    this.serverRole = serverRole;
    this.out = out;
    this.err = err;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public ServerRole serverRole() {
    return serverRole;
  }

  public CliConfig config(ConnectionOptions options) {
    if (config == null) {
      config = CliConfig.load(options.server, options.token, options.project);
    }
    return config;
  }

  /**
   * A client of a running server; starts a local one in the background when {@code autoStart} and
   * none runs.
   */
  public BosunClient client(ConnectionOptions options, boolean autoStart) {
    CliConfig cfg = config(options);
    BosunClient client = new BosunClient(cfg.server(), cfg.token());
    try {
      client.health();
    } catch (ServerUnreachableException e) {
      if (!autoStart || !cfg.serverIsLocal()) {
        throw new CliException(
            ExitCodes.SERVER,
            e.getMessage()
                + "; start it with 'bosun server' or point BOSUN_SERVER_URL at a running one");
      }
      startLocalServer(cfg);
      config = CliConfig.load(options.server, options.token, options.project);
      for (int i = 0; i < 50 && config.token() == null; i++) {
        sleep(100); // a first start writes the token just after the API opens
        config = CliConfig.load(options.server, options.token, options.project);
      }
      client = new BosunClient(config.server(), config.token());
      awaitLocalFleet(client, config.project());
    }
    if (config.token() == null) {
      throw new CliException(
          ExitCodes.SERVER,
          "no token: set BOSUN_TOKEN or 'token:' in " + config.home().resolve("config.yml"));
    }
    return client;
  }

  private void startLocalServer(CliConfig cfg) {
    Path log = cfg.home().resolve("server.log");
    int port = cfg.server().getPort() == -1 ? 3000 : cfg.server().getPort();
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(serverRole.backgroundCommand(cfg.server().getHost(), port));
    err.println(
        "Starting the Bosun server in the background on " + cfg.server() + " (log: " + log + ")");
    err.flush();
    Process process;
    try {
      Files.createDirectories(cfg.home());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new CliException(ExitCodes.SERVER, "cannot start the Bosun server: " + e.getMessage());
    }
    BosunClient probe = new BosunClient(cfg.server(), null);
    long deadline = System.nanoTime() + SERVER_START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        probe.health();
        return;
      } catch (ServerUnreachableException e) {
        if (!process.isAlive()) {
          throw new CliException(
              ExitCodes.SERVER,
              "the Bosun server exited at start (status "
                  + process.exitValue()
                  + "): "
                  + lastLine(log)
                  + " (full log: "
                  + log
                  + ")");
        }
        sleep(100);
      } catch (ApiException e) {
        return;
      }
    }
    throw new CliException(
        ExitCodes.SERVER,
        "the Bosun server did not answer within "
            + SERVER_START_TIMEOUT.toSeconds()
            + " s; see "
            + log);
  }

  /**
   * A server just started connects to its local agent within a second or two; plans made before
   * that would wait.
   */
  private void awaitLocalFleet(BosunClient client, String project) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var instances =
            client.fleets(project).stream().flatMap(f -> f.instances().stream()).toList();
        if (instances.isEmpty()
            || instances.stream()
                .anyMatch(i -> "idle".equals(i.status()) || "busy".equals(i.status()))) {
          return;
        }
      } catch (ApiException | ServerUnreachableException e) {
        return; // the command itself reports what is wrong
      }
      sleep(100);
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
    } catch (IOException ignored) {
      // the message below is enough
    }
    return "no output";
  }

  /**
   * Removes a shutdown hook, unless the JVM is shutting down already (Ctrl-C): then the hook runs,
   * and the caller must return normally, because a non-zero System.exit during shutdown halts the
   * JVM before the hook is done.
   */
  static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.RUN_FAILED, "interrupted");
    }
  }
}
