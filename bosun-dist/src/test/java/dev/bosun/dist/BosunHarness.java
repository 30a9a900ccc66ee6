package dev.bosun.dist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.BosunClient;
import dev.bosun.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives the real distribution: the {@code bosun} jar as separate CLI processes, which start a real
 * server in the background, which starts a real agent. Each harness has its own BOSUN_HOME and
 * port, and kills everything it started when closed.
 */
final class BosunHarness implements AutoCloseable {
  private static final String JAR = System.getProperty("bosun.jar", "target/bosun.jar");

  final Path home;
  final Path work;
  final int port;
  private final Map<String, String> env = new HashMap<>();
  private final List<Process> processes = new ArrayList<>();

  BosunHarness() throws IOException {
    this.home = Files.createTempDirectory("bosun-home-");
    this.work = Files.createTempDirectory("bosun-work-");
    this.port = freePort();
    env.put("BOSUN_HOME", home.toString());
    env.put("BOSUN_SERVER_URL", serverUrl());
  }

  String serverUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Puts a directory first on the PATH of the CLI, and so of the server and agent it starts. */
  BosunHarness withPathPrefix(Path dir) {
    env.put("PATH", dir + ":" + System.getenv("PATH"));
    return this;
  }

  /** Sets an environment variable of the CLI, and so of the server and agent it starts. */
  BosunHarness withEnv(String name, String value) {
    env.put(name, value);
    return this;
  }

  Path file(String name, String content) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  /** Starts {@code bosun args...} without waiting. */
  Process start(Map<String, String> extraEnv, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(JAR);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().putAll(env);
    builder.environment().putAll(extraEnv);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  Result run(Map<String, String> extraEnv, String... args) throws Exception {
    return await(start(extraEnv, args), Duration.ofSeconds(120));
  }

  static Result await(Process process, Duration timeout) throws Exception {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    Thread outReader = Thread.ofVirtual().start(() -> out.append(read(process.getInputStream())));
    Thread errReader = Thread.ofVirtual().start(() -> err.append(read(process.getErrorStream())));
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bosun did not finish within " + timeout);
    }
    outReader.join();
    errReader.join();
    return new Result(process.exitValue(), out.toString(), err.toString());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client with the admin token the server saved. */
  BosunClient client() throws IOException {
    return new BosunClient(URI.create(serverUrl()), adminToken());
  }

  String adminToken() throws IOException {
    for (String line : Files.readAllLines(home.resolve("config.yml"))) {
      if (line.startsWith("token:")) {
        return line.substring(6).trim().replace("\"", "");
      }
    }
    throw new IllegalStateException("no token in config.yml");
  }

  Optional<Long> serverPid() {
    return pidFrom(home.resolve("server.json"));
  }

  Optional<Long> agentPid() {
    return pidFrom(home.resolve("agent/agent.json"));
  }

  private static Optional<Long> pidFrom(Path file) {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      JsonNode json = Json.mapper().readTree(file.toFile());
      long pid = json.path("pid").asLong();
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static void kill9(long pid) throws Exception {
    new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly();
    }
    try {
      Result stopped = await(start(Map.of(), "server", "stop", "--all"), Duration.ofSeconds(60));
      if (stopped.code() != 0) {
        System.err.println("server stop: " + stopped);
      }
    } catch (Exception | AssertionError e) {
      System.err.println("server stop failed: " + e);
    }
    for (Optional<Long> pid : List.of(serverPid(), agentPid())) {
      if (pid.isPresent()) {
        ProcessHandle.of(pid.get())
            .ifPresent(
                p -> {
                  p.descendants().forEach(ProcessHandle::destroyForcibly);
                  p.destroyForcibly();
                });
      }
    }
    killJobsUnder(home);
    deleteTree(home);
    deleteTree(work);
  }

  /**
   * Job processes run in their own sessions; find any still running from this home's job
   * directories.
   */
  private static void killJobsUnder(Path home) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }
}
