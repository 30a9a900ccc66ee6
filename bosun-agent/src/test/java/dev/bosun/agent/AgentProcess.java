package dev.bosun.agent;

import static org.awaitility.Awaitility.await;

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

/**
 * An agent in its own JVM, started through {@link AgentMain#main}, so that a test can kill it with
 * SIGKILL.
 */
final class AgentProcess implements AutoCloseable {
  final Process process;
  final Path dataDir;
  final Path console;

  private AgentProcess(Process process, Path dataDir, Path console) {
    this.process = process;
    this.dataDir = dataDir;
    this.console = console;
  }

  /** Starts {@code AgentMain --data-dir dataDir} with this JVM's java and class path. */
  static AgentProcess launch(Path dataDir, Path console) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add(AgentMain.class.getName());
    command.add("--data-dir");
    command.add(dataDir.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .start();
    return new AgentProcess(process, dataDir, console);
  }

  /**
   * Waits until the agent wrote {@code agent.json} for its own pid, and returns a client for it.
   */
  AgentClient awaitClient() {
    Path agentFile = dataDir.resolve("agent.json");
    JsonNode agent =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> readAgentFile(agentFile),
                node -> node != null && node.path("pid").asLong() == process.pid());
    String token;
    try {
      token = Files.readString(dataDir.resolve("token")).strip();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return new AgentClient(
        URI.create("http://127.0.0.1:" + agent.get("port").asInt()),
        token,
        HttpClient.newHttpClient());
  }

  String consoleText() throws IOException {
    return Files.readString(console);
  }

  private JsonNode readAgentFile(Path file) {
    if (!process.isAlive()) {
      String text;
      try {
        text = consoleText();
      } catch (IOException e) {
        text = e.toString();
      }
      throw new AssertionError(
          "the agent process ended with " + process.exitValue() + ":\n" + text);
    }
    try {
      return Files.exists(file) ? Json.mapper().readTree(file.toFile()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }
}
