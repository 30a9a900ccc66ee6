package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted agent takes over the jobs its predecessor left. */
class AgentRecoveryTest {
  @TempDir Path temp;

  @Test
  void jobSurvivesTheAgentBeingKilledAndIsRecoveredWithEveryLineOnce() throws Exception {
    Path dataDir = temp.resolve("data");
    long firstPid;
    try (AgentProcess first = AgentProcess.launch(dataDir, temp.resolve("first.log"))) {
      AgentClient client = first.awaitClient();
      firstPid = first.process.pid();
      client.submit(
          TestAgent.job("survivor", "for i in $(seq 1 30); do echo line $i; sleep 0.1; done")
              .build());
      await()
          .atMost(TestAgent.TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> client.logs("survivor", 0, Duration.ZERO, 1 << 20).data().contains("line 5\n"));

      first.process.destroyForcibly();
      assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    Thread.sleep(300); // lines keep coming while no agent watches

    try (TestAgent second = TestAgent.start(dataDir)) {
      JobState recovered = second.state("survivor");
      assertThat(recovered.status()).isEqualTo(JobStatus.RUNNING);
      JobState finished = second.awaitFinished("survivor");

      assertThat(finished.status()).isEqualTo(JobStatus.DONE);
      assertThat(finished.exitStatus()).isZero();
      List<String> expected = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList();
      assertThat(second.logTexts("survivor")).containsExactlyElementsOf(expected);
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  void mainRefusesASecondAgentOnTheSameDataDirectory() throws Exception {
    Path dataDir = temp.resolve("shared");
    try (TestAgent running = TestAgent.start(dataDir);
        AgentProcess second = AgentProcess.launch(dataDir, temp.resolve("second.log"))) {
      assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(second.process.exitValue()).isEqualTo(1);
      assertThat(second.consoleText()).contains("already running on the data directory");
      assertThat(running.client.info().bootId()).isEqualTo(running.handle.bootId());
    }
  }

  @Test
  void jobThatEndedWhileNoAgentRanGetsItsStatusFromItsExitCode() throws Exception {
    Path dataDir = temp.resolve("data");
    try (TestAgent first = TestAgent.start(dataDir)) {
      first.client.submit(
          TestAgent.job("quiet", "echo started; sleep 0.5; echo finishing; exit 4").build());
      first.awaitLogLine("quiet", "started");
    }
    await()
        .atMost(TestAgent.TIMEOUT)
        .until(() -> Files.exists(dataDir.resolve("jobs/quiet/exit_code")));
    Thread.sleep(100);

    try (TestAgent second = TestAgent.start(dataDir)) {
      JobState finished = second.state("quiet");

      assertThat(finished.status()).isEqualTo(JobStatus.FAILED);
      assertThat(finished.exitStatus()).isEqualTo(4);
      assertThat(finished.terminationReason())
          .isEqualTo(TerminationReason.CONTAINER_EXITED_WITH_ERROR);
      assertThat(second.logTexts("quiet")).containsExactly("started", "finishing");
    }
  }

  @Test
  void jobKilledWhileNoAgentRanIsLost() throws Exception {
    Path dataDir = temp.resolve("data");
    long pid;
    try (TestAgent first = TestAgent.start(dataDir)) {
      pid = first.client.submit(TestAgent.job("victim", "echo started; sleep 100").build()).pid();
      first.awaitLogLine("victim", "started");
    }
    new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
    await().atMost(TestAgent.TIMEOUT).until(() -> !ProcessProbe.isRunning(pid));

    try (TestAgent second = TestAgent.start(dataDir)) {
      JobState lost = second.state("victim");

      assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
      assertThat(lost.terminationReason()).isEqualTo(TerminationReason.AGENT_LOST);
      assertThat(lost.message()).isEqualTo(JobRecovery.ENDED_UNWATCHED);
    }
  }

  @Test
  void recoveredJobCanBeStoppedAndVersionsKeepGrowing() throws Exception {
    Path dataDir = temp.resolve("data");
    long versionBefore;
    try (TestAgent first = TestAgent.start(dataDir)) {
      first.client.submit(
          TestAgent.job(
                  "adopted",
                  "trap 'echo bye; exit 0' TERM; echo ready; " + "while true; do sleep 0.1; done")
              .maxDuration(60)
              .build());
      first.awaitLogLine("adopted", "ready");
      versionBefore = first.client.changes(0, Duration.ZERO).cursor();
    }

    try (TestAgent second = TestAgent.start(dataDir)) {
      assertThat(second.client.changes(0, Duration.ZERO).cursor())
          .isGreaterThanOrEqualTo(versionBefore);
      second.client.stop("adopted", new StopRequest(false, null));
      JobState finished = second.awaitFinished("adopted");

      assertThat(finished.status()).isEqualTo(JobStatus.TERMINATED);
      assertThat(finished.terminationReason()).isEqualTo(TerminationReason.STOPPED_BY_USER);
      assertThat(finished.version()).isGreaterThan(versionBefore);
      assertThat(second.logTexts("adopted")).startsWith("ready").endsWith("bye");
    }
  }
}
