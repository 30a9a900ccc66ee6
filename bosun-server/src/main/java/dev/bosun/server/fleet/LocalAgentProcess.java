package dev.bosun.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.api.agent.AgentClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of the local fleet: its own process in its own session, so it and its jobs outlive the
 * server. A running agent is found through {@code agent.json} in its data directory; otherwise a
 * new one is started.
 */
public final class LocalAgentProcess implements AgentLocator {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgentProcess.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final List<String> agentCommand;
  private final HttpClient http;

  public LocalAgentProcess(Path dataDir, List<String> agentCommand, HttpClient http) {
    this.dataDir = dataDir;
    this.agentCommand = List.copyOf(agentCommand);
    this.http = http;
  }

  @Override
  public synchronized AgentEndpoint locate() throws IOException, InterruptedException {
    Optional<AgentEndpoint> running = runningAgent();
    if (running.isPresent()) {
      return running.get();
    }
    start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(50);
      running = runningAgent();
      if (running.isPresent()) {
        return running.get();
      }
    }
    throw new IOException(
        "the local agent did not start within "
            + START_TIMEOUT.toSeconds()
            + " s; see "
            + dataDir.resolveSibling("agent.log"));
  }

  @Override
  public String describe() {
    return "local agent at " + dataDir;
  }

  /** The pid of the running agent, if any. */
  public Optional<Long> pid() {
    return readAgentJson()
        .map(json -> json.path("pid").asLong())
        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  private Optional<AgentEndpoint> runningAgent() {
    Optional<JsonNode> json = readAgentJson();
    if (json.isEmpty()) {
      return Optional.empty();
    }
    long pid = json.get().path("pid").asLong();
    int port = json.get().path("port").asInt();
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return Optional.empty();
    }
    try {
      String token = Files.readString(dataDir.resolve("token")).trim();
      AgentEndpoint endpoint = new AgentEndpoint(URI.create("http://127.0.0.1:" + port), token);
      new AgentClient(endpoint.uri(), token, http).info();
      return Optional.of(endpoint);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<JsonNode> readAgentJson() {
    Path file = dataDir.resolve("agent.json");
    try {
      return Files.exists(file)
          ? Optional.of(Json.mapper().readTree(file.toFile()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void start() throws IOException {
    Files.createDirectories(dataDir);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add(
          "/usr/bin/setsid"); // own session: not killed with the server's process group or terminal
    }
    command.addAll(agentCommand);
    command.add("--data-dir");
    command.add(dataDir.toString());
    Path log = dataDir.resolveSibling("agent.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    LOG.info("started the local agent (pid {}), log in {}", process.pid(), log);
  }
}
