package dev.bosun.agent;

import static org.awaitility.Awaitility.await;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.LogChunk;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An agent started in this JVM on a test directory, with a client and the waits that tests share.
 */
final class TestAgent implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final AgentHandle handle;
  final AgentClient client;

  private TestAgent(AgentHandle handle) {
    this.handle = handle;
    this.client = client(handle, handle.token());
  }

  static TestAgent start(Path dataDir) {
    return start(AgentOptions.defaults(dataDir));
  }

  static TestAgent start(AgentOptions options) {
    return new TestAgent(AgentMain.start(options));
  }

  static AgentClient client(AgentHandle handle, String token) {
    return new AgentClient(handle.baseUri(), token, HttpClient.newHttpClient());
  }

  /** The job's current state, or null if the agent does not list it. */
  JobState state(String jobId) {
    return client.changes(0, Duration.ZERO).jobs().stream()
        .filter(job -> job.jobId().equals(jobId))
        .findFirst()
        .orElse(null);
  }

  JobState awaitState(String jobId, Predicate<JobState> condition) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> state(jobId), state -> state != null && condition.test(state));
  }

  JobState awaitFinished(String jobId) {
    return awaitState(jobId, state -> state.status().isFinished());
  }

  /** Waits until the log holds a line with {@code text}. */
  void awaitLogLine(String jobId, String text) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> client.logs(jobId, 0, Duration.ZERO, 1 << 20).data().contains(text));
  }

  /** The whole log, read in chunks until eof. */
  String fullLog(String jobId) {
    StringBuilder log = new StringBuilder();
    long offset = 0;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      LogChunk chunk = client.logs(jobId, offset, Duration.ofSeconds(5), 1 << 20);
      log.append(chunk.data());
      offset = chunk.nextOffset();
      if (chunk.eof()) {
        return log.toString();
      }
    }
    throw new AssertionError(
        "no eof in the log of " + jobId + " after " + TIMEOUT + "; so far: " + log);
  }

  /** The log's lines without their timestamps. */
  List<String> logTexts(String jobId) {
    return texts(fullLog(jobId));
  }

  static List<String> texts(String log) {
    return log.lines().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
  }

  static Builder job(String jobId, String... commands) {
    return new Builder(jobId, Arrays.asList(commands));
  }

  @Override
  public void close() {
    handle.close();
  }

  /** Builds a {@link JobSpec} with test defaults. */
  static final class Builder {
    private final String jobId;
    private final List<String> commands;
    private String shell;
    private final Map<String, String> env = new HashMap<>();
    private String workingDir;
    private final List<Integer> gpus = new ArrayList<>();
    private Long maxDurationSeconds;
    private long stopDurationSeconds = 5;
    private List<String> gpuUuids = List.of();
    private dev.bosun.api.agent.JobContainer container;
    private Long inactivitySeconds;

    private Builder(String jobId, List<String> commands) {
      this.jobId = jobId;
      this.commands = commands;
    }

    Builder shell(String value) {
      shell = value;
      return this;
    }

    Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    Builder workingDir(String value) {
      workingDir = value;
      return this;
    }

    Builder gpus(Integer... indices) {
      gpus.addAll(Arrays.asList(indices));
      return this;
    }

    /** Runs the job in a container. */
    Builder container(dev.bosun.api.agent.JobContainer value) {
      container = value;
      return this;
    }

    Builder gpuUuids(String... uuids) {
      gpuUuids = Arrays.asList(uuids);
      return this;
    }

    Builder maxDuration(long seconds) {
      maxDurationSeconds = seconds;
      return this;
    }

    /** Stops the job once no SSH session has been in it for this long. */
    Builder inactivityDuration(long seconds) {
      inactivitySeconds = seconds;
      return this;
    }

    Builder stopDuration(long seconds) {
      stopDurationSeconds = seconds;
      return this;
    }

    JobSpec build() {
      return new JobSpec(
          jobId,
          "run-" + jobId,
          commands,
          shell,
          env,
          workingDir,
          gpus,
          gpuUuids,
          1,
          512,
          maxDurationSeconds,
          stopDurationSeconds,
          null,
          container,
          inactivitySeconds);
    }
  }
}
