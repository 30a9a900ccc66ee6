package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.agent.AgentRequestException;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping, aborting and timing out jobs. */
class AgentStopTest {
  private static final StopRequest STOP = new StopRequest(false, null);

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
  void gracefulStopLetsTheJobCleanUp() {
    agent.client.submit(
        TestAgent.job(
                "graceful",
                "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.1; done")
            .build());
    agent.awaitLogLine("graceful", "ready");

    JobState stopping = agent.client.stop("graceful", STOP);
    JobState finished = agent.awaitFinished("graceful");

    assertThat(stopping.status()).isIn(JobStatus.TERMINATING, JobStatus.TERMINATED);
    assertThat(finished.status()).isEqualTo(JobStatus.TERMINATED);
    assertThat(finished.terminationReason()).isEqualTo(TerminationReason.STOPPED_BY_USER);
    assertThat(finished.exitStatus()).isZero();
    // bash may also report the SIGTERM that ended its foreground sleep ("Terminated")
    assertThat(agent.logTexts("graceful")).startsWith("ready").endsWith("bye");
  }

  @Test
  void jobIgnoringSigtermIsKilledAfterTheStopDuration() {
    agent.client.submit(
        TestAgent.job("stubborn", "trap '' TERM; echo ready; sleep 100").stopDuration(1).build());
    agent.awaitLogLine("stubborn", "ready");

    long before = System.nanoTime();
    agent.client.stop("stubborn", STOP);
    JobState finished = agent.awaitFinished("stubborn");
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(finished.status()).isEqualTo(JobStatus.TERMINATED);
    assertThat(finished.terminationReason()).isEqualTo(TerminationReason.STOPPED_BY_USER);
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
  }

  @Test
  void abortKillsAtOnce() {
    agent.client.submit(
        TestAgent.job("abort", "trap '' TERM; echo ready; sleep 100").stopDuration(60).build());
    agent.awaitLogLine("abort", "ready");

    long before = System.nanoTime();
    agent.client.stop("abort", new StopRequest(true, null));
    JobState finished = agent.awaitFinished("abort");

    assertThat(finished.status()).isEqualTo(JobStatus.ABORTED);
    assertThat(finished.terminationReason()).isEqualTo(TerminationReason.ABORTED_BY_USER);
    assertThat(finished.exitStatus()).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void stopCarriesTheCallersReason() {
    agent.client.submit(TestAgent.job("scaled", "echo ready; sleep 100").build());
    agent.awaitLogLine("scaled", "ready");

    agent.client.stop("scaled", new StopRequest(false, TerminationReason.SCALED_DOWN));

    JobState finished = agent.awaitFinished("scaled");
    assertThat(finished.status()).isEqualTo(JobStatus.TERMINATED);
    assertThat(finished.terminationReason()).isEqualTo(TerminationReason.SCALED_DOWN);
  }

  @Test
  void maxDurationStopsTheJob() {
    agent.client.submit(TestAgent.job("timeout", "sleep 100").maxDuration(1).build());

    JobState finished = agent.awaitFinished("timeout");

    assertThat(finished.status()).isEqualTo(JobStatus.TERMINATED);
    assertThat(finished.terminationReason()).isEqualTo(TerminationReason.MAX_DURATION_EXCEEDED);
    assertThat(Duration.between(finished.startedAt(), finished.finishedAt()))
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
  }

  @Test
  void stopKillsTheWholeProcessTree() throws Exception {
    agent.client.submit(
        TestAgent.job("tree", "sleep 300 & echo $! > child.pid; echo ready; wait").build());
    agent.awaitLogLine("tree", "ready");
    long child = ProcessProbe.readPid(dataDir.resolve("jobs/tree/workdir/child.pid"));
    assertThat(ProcessProbe.isRunning(child)).isTrue();

    agent.client.stop("tree", STOP);

    assertThat(agent.awaitFinished("tree").status()).isEqualTo(JobStatus.TERMINATED);
    await().atMost(TestAgent.TIMEOUT).until(() -> !ProcessProbe.isRunning(child));
  }

  @Test
  void stoppingAFinishedJobChangesNothing() {
    agent.client.submit(TestAgent.job("done", "true").build());
    JobState finished = agent.awaitFinished("done");

    JobState afterStop = agent.client.stop("done", new StopRequest(true, null));

    assertThat(afterStop).isEqualTo(finished);
  }

  @Test
  void onlyFinishedJobsCanBeDeleted() {
    agent.client.submit(TestAgent.job("busy", "echo ready; sleep 100").build());
    agent.awaitLogLine("busy", "ready");

    assertThatThrownBy(() -> agent.client.delete("busy"))
        .isInstanceOfSatisfying(
            AgentRequestException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("conflict");
            });
    agent.client.stop("busy", new StopRequest(true, null));
    agent.awaitFinished("busy");
    agent.client.delete("busy");

    assertThat(Files.exists(dataDir.resolve("jobs/busy"))).isFalse();
    assertThat(agent.state("busy")).isNull();
    assertThatThrownBy(() -> agent.client.delete("busy"))
        .isInstanceOfSatisfying(
            AgentRequestException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> agent.client.stop("nosuchjob", STOP))
        .isInstanceOfSatisfying(
            AgentRequestException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
  }
}
