package dev.bosun.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.BosunClient;
import dev.bosun.api.FleetInfo;
import dev.bosun.api.InstanceInfo;
import dev.bosun.api.Json;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Bosun server of the distribution jar, run in the foreground as a child process with its own
 * temporary BOSUN_HOME and a free port; it starts its local agent as in production. {@link
 * #close()} stops the server with {@code bosun server stop --all} and makes sure neither it nor its
 * agent is left running.
 */
final class LocalServer implements AutoCloseable {
  static final String PROJECT = "main";

  private final Path jar;
  private final Path home;
  private final int port;
  private final boolean keepHome;
  private final boolean ownsHome;
  private final Process process;
  private BosunClient client;
  private boolean closed;

  private LocalServer(
      Path jar, Path home, int port, boolean keepHome, boolean ownsHome, Process process) {
    this.jar = jar;
    this.home = home;
    this.port = port;
    this.keepHome = keepHome;
    this.ownsHome = ownsHome;
    this.process = process;
  }

  /**
   * Starts the server and waits until it answers {@code /healthz} and its local instance is idle.
   */
  static LocalServer start(Path jar, List<String> javaOptions, boolean keepHome, Duration timeout)
      throws IOException, InterruptedException {
    Path home = Files.createTempDirectory("bosun-bench-home-");
    return start(jar, javaOptions, home, keepHome, true, timeout);
  }

  /**
   * Starts the server on an existing BOSUN_HOME (a new one, or one a stopped server left), which
   * the caller owns: {@link #close()} leaves it.
   */
  static LocalServer startIn(Path jar, List<String> javaOptions, Path home, Duration timeout)
      throws IOException, InterruptedException {
    return start(jar, javaOptions, home, true, false, timeout);
  }

  private static LocalServer start(
      Path jar,
      List<String> javaOptions,
      Path home,
      boolean keepHome,
      boolean ownsHome,
      Duration timeout)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(), "server", "--port", String.valueOf(port)));
    ProcessBuilder builder =
        environment(new ProcessBuilder(command), home, port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    LocalServer server = new LocalServer(jar, home, port, keepHome, ownsHome, builder.start());
    try {
      server.awaitReady(System.nanoTime() + timeout.toNanos());
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Path home() {
    return home;
  }

  BosunClient client() {
    return client;
  }

  /** The server's process id, for {@code jcmd}. */
  long pid() {
    return process.pid();
  }

  /** The local agent's process id while it runs. */
  Optional<Long> agentPid() {
    Path file = home.resolve("agent/agent.json");
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      JsonNode json = Json.mapper().readTree(file.toFile());
      return ProcessHandle.of(json.path("pid").asLong())
          .filter(ProcessHandle::isAlive)
          .map(ProcessHandle::pid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void awaitReady(long deadline) throws IOException, InterruptedException {
    BosunClient anonymous = new BosunClient(url(), null);
    while (true) {
      checkAlive(deadline);
      try {
        anonymous.health();
        break;
      } catch (RuntimeException notYet) {
        Thread.sleep(100);
      }
    }
    client = new BosunClient(url(), token(deadline));
    while (true) {
      checkAlive(deadline);
      List<FleetInfo> fleets = client.fleets(PROJECT);
      boolean idle =
          fleets.stream()
              .flatMap(f -> f.instances().stream())
              .map(InstanceInfo::status)
              .anyMatch("idle"::equals);
      if (idle) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private String token(long deadline) throws IOException, InterruptedException {
    Path config = home.resolve("config.yml");
    while (true) {
      checkAlive(deadline);
      if (Files.exists(config)) {
        for (String line : Files.readAllLines(config)) {
          if (line.startsWith("token:")) {
            return line.substring("token:".length()).trim().replace("\"", "").replace("'", "");
          }
        }
      }
      Thread.sleep(100);
    }
  }

  private void checkAlive(long deadline) throws IOException {
    if (!process.isAlive()) {
      throw new IOException(
          "the server exited with status "
              + process.exitValue()
              + "; see "
              + home.resolve("server.log"));
    }
    if (System.nanoTime() > deadline) {
      throw new IOException("the server was not ready in time; see " + home.resolve("server.log"));
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Optional<Long> agent = agentPid();
    try {
      Process stop =
          environment(
                  new ProcessBuilder(java(), "-jar", jar.toString(), "server", "stop", "--all"),
                  home,
                  port)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(home.resolve("server-stop.log").toFile()))
              .start();
      if (!stop.waitFor(60, TimeUnit.SECONDS)) {
        stop.destroyForcibly();
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        System.err.println("the server did not exit after 'server stop --all'; killing it");
      }
    } catch (IOException e) {
      System.err.println("'server stop --all' failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Cleanup.kill(process.toHandle());
    agent.or(this::agentPid).flatMap(ProcessHandle::of).ifPresent(Cleanup::kill);
    if (!ownsHome) {
      return;
    }
    if (keepHome) {
      System.err.println("BOSUN_HOME kept at " + home);
    } else {
      Cleanup.deleteTree(home);
    }
  }

  /**
   * This server's home and URL; every other {@code BOSUN_*} variable of the caller's environment is
   * dropped, so that a BOSUN_DATABASE_URL, token or project meant for a real server never reaches
   * the benchmark's.
   */
  private static ProcessBuilder environment(ProcessBuilder builder, Path home, int port) {
    builder.environment().keySet().removeIf(name -> name.startsWith("BOSUN_"));
    builder.environment().put("BOSUN_HOME", home.toString());
    builder.environment().put("BOSUN_SERVER_URL", "http://127.0.0.1:" + port);
    return builder;
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
