package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.AgentRequestException;
import dev.bosun.api.agent.AgentUnreachableException;
import dev.bosun.api.agent.JobChanges;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.LogChunk;
import dev.bosun.model.state.JobStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long polls for changes and logs, and how the API answers errors. */
class AgentPollingTest {
  @TempDir static Path dataDir;
  static TestAgent agent;

  @BeforeAll
  static void startAgent() {
    agent = TestAgent.start(dataDir);
  }

  @AfterAll
  static void stopAgent() {
    agent.close();
  }

  @Test
  void changePollWakesAsSoonAsAJobChanges() throws Exception {
    long cursor = agent.client.changes(0, Duration.ZERO).cursor();
    CompletableFuture<JobChanges> poll =
        CompletableFuture.supplyAsync(() -> agent.client.changes(cursor, Duration.ofSeconds(20)));
    Thread.sleep(200);
    assertThat(poll).isNotDone();

    long before = System.nanoTime();
    agent.client.submit(TestAgent.job("wake", "sleep 0.2").build());
    JobChanges changes = poll.get();

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    assertThat(changes.jobs()).extracting(JobState::jobId).contains("wake");
    assertThat(changes.cursor()).isGreaterThan(cursor);
    assertThat(changes.bootId()).isEqualTo(agent.handle.bootId());
    JobChanges next = agent.client.changes(changes.cursor(), Duration.ofSeconds(10));
    assertThat(next.jobs()).extracting(JobState::status).contains(JobStatus.DONE);
  }

  @Test
  void changesAreOrderedByVersionAndAnUnknownCursorReadsEverything() {
    agent.client.submit(TestAgent.job("v1", "true").build());
    agent.client.submit(TestAgent.job("v2", "true").build());
    agent.awaitFinished("v1");
    agent.awaitFinished("v2");

    JobChanges all = agent.client.changes(0, Duration.ZERO);
    JobChanges fromTheFuture = agent.client.changes(all.cursor() + 1000, Duration.ofSeconds(5));
    JobChanges none = agent.client.changes(all.cursor(), Duration.ofMillis(100));

    assertThat(all.jobs()).extracting(JobState::version).isSorted().doesNotHaveDuplicates();
    assertThat(fromTheFuture.jobs()).extracting(JobState::jobId).contains("v1", "v2");
    assertThat(none.jobs()).isEmpty();
    assertThat(none.cursor()).isEqualTo(all.cursor());
  }

  @Test
  void logPollWaitsForTheNextLine() {
    agent.client.submit(TestAgent.job("late", "echo early; sleep 0.7; echo late").build());
    agent.awaitLogLine("late", "early");
    LogChunk first = agent.client.logs("late", 0, Duration.ZERO, 1 << 20);

    long before = System.nanoTime();
    LogChunk second =
        agent.client.logs("late", first.nextOffset(), Duration.ofSeconds(10), 1 << 20);
    Duration waited = Duration.ofNanos(System.nanoTime() - before);

    assertThat(TestAgent.texts(first.data())).containsExactly("early");
    assertThat(TestAgent.texts(second.data())).containsExactly("late");
    assertThat(waited).isLessThan(Duration.ofSeconds(3));
    agent.awaitFinished("late");
    LogChunk end = agent.client.logs("late", second.nextOffset(), Duration.ofSeconds(10), 1 << 20);
    assertThat(end.data()).isEmpty();
    assertThat(end.eof()).isTrue();
  }

  @Test
  void logsComeInWholeLinesWithinTheLimit() {
    agent.client.submit(
        TestAgent.job("many", "for i in $(seq 1 50); do echo line-$i; done").build());
    agent.awaitFinished("many");

    LogChunk small = agent.client.logs("many", 0, Duration.ZERO, 100);
    LogChunk tiny = agent.client.logs("many", 0, Duration.ZERO, 5);

    assertThat(small.data()).endsWith("\n");
    assertThat(small.data().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(100);
    assertThat(small.eof()).isFalse();
    assertThat(TestAgent.texts(tiny.data())).containsExactly("line-1");
    assertThat(TestAgent.texts(agent.fullLog("many")))
        .hasSize(50)
        .startsWith("line-1")
        .endsWith("line-50");
  }

  @Test
  void partialLineIsFlushedWhileTheJobRuns() {
    agent.client.submit(TestAgent.job("partial", "printf 'no newline'; sleep 3").build());

    agent.awaitLogLine("partial", "no newline");

    assertThat(agent.state("partial").status()).isEqualTo(JobStatus.RUNNING);
    agent.client.stop("partial", new dev.bosun.api.agent.StopRequest(true, null));
    agent.awaitFinished("partial");
  }

  @Test
  void wrongOrMissingTokenIsRefused() throws Exception {
    AgentClient intruder = TestAgent.client(agent.handle, "not-the-token");

    assertThatThrownBy(intruder::info)
        .isInstanceOfSatisfying(
            AgentRequestException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("unauthorized");
            });
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(agent.handle.baseUri() + "/v1/info")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("\"code\":\"unauthorized\"").contains("\"error\":");
  }

  @Test
  void badRequestsAndUnknownJobsAreTypedErrors() {
    assertThatThrownBy(() -> agent.client.submit(TestAgent.job("../escape", "true").build()))
        .isInstanceOfSatisfying(
            AgentRequestException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> agent.client.logs("nosuchjob", 0, Duration.ZERO, 10))
        .isInstanceOfSatisfying(
            AgentRequestException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> agent.client.logs("nosuchjob", -1, Duration.ZERO, 10))
        .isInstanceOfSatisfying(
            AgentRequestException.class, e -> assertThat(e.code()).isEqualTo("bad_request"));
  }

  @Test
  void closedPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    AgentClient nowhere =
        new AgentClient(URI.create("http://127.0.0.1:" + port), "t", HttpClient.newHttpClient());

    assertThatThrownBy(nowhere::info).isInstanceOf(AgentUnreachableException.class);
  }

  @Test
  void infoDescribesTheAgent() {
    var info = agent.client.info();

    assertThat(info.protocolVersion()).isEqualTo("1");
    assertThat(info.bootId()).isEqualTo(agent.handle.bootId());
    assertThat(info.agentVersion()).isNotBlank();
    assertThat(info.resources().cpus()).isPositive();
    assertThat(info.resources().memoryMb()).isPositive();
    assertThat(info.resources().diskMb()).isPositive();
    assertThat(info.resources().arch()).isIn("x86_64", "aarch64");
    assertThat(info.resources().internalIp()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
  }
}
