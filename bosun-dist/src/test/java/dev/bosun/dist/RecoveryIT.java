package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.RunInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Killing the server or the agent with SIGKILL mid-run loses neither the run nor a line of its log.
 */
class RecoveryIT {
  private static final int LINES = 40;
  private BosunHarness bosun;

  @BeforeEach
  void start() throws Exception {
    bosun = new BosunHarness();
  }

  @AfterEach
  void stop() throws Exception {
    bosun.close();
  }

  private Path countingTask(String name) throws Exception {
    return bosun.file(
        name + ".bosun.yml",
        """
        type: task
        name: %s
        commands:
          - for i in $(seq 1 %d); do echo "line $i"; sleep 0.1; done
        """
            .formatted(name, LINES));
  }

  private static List<String> expectedLines() {
    return IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList();
  }

  @Test
  void serverKilledMidRunRestartsAndTheRunContinuesWithoutALogGap() throws Exception {
    Path file = countingTask("survivor");
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.run("logs", "survivor").out().contains("line 3"));
    long server = bosun.serverPid().orElseThrow();
    long agent = bosun.agentPid().orElseThrow();
    BosunHarness.kill9(server);

    // Any CLI command starts the server again; the agent and its job never stopped.
    BosunHarness.Result follow = bosun.run("logs", "-f", "survivor");
    assertThat(follow.code()).as(follow.toString()).isZero();
    assertThat(bosun.serverPid()).isPresent().isNotEqualTo(java.util.Optional.of(server));
    assertThat(bosun.agentPid()).contains(agent);
    assertThat(follow.out().lines().toList()).containsExactlyElementsOf(expectedLines());
    RunInfo run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> bosun.client().run("main", "survivor"), info -> info.finishedAt() != null);
    assertThat(run.status()).isEqualTo("done");
  }

  @Test
  void agentKilledMidRunIsRestartedAndRecoversTheRunningJob() throws Exception {
    Path file = countingTask("orphan");
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.run("logs", "orphan").out().contains("line 3"));
    long agent = bosun.agentPid().orElseThrow();
    BosunHarness.kill9(agent);

    RunInfo run =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> bosun.client().run("main", "orphan"), info -> info.finishedAt() != null);
    assertThat(run.status())
        .as("the job's process survived the agent, so it is recovered")
        .isEqualTo("done");
    assertThat(bosun.agentPid()).isPresent().isNotEqualTo(java.util.Optional.of(agent));
    assertThat(bosun.run("logs", "orphan").out().lines().toList())
        .containsExactlyElementsOf(expectedLines());
  }

  @Test
  void jobKilledWhileItsAgentIsDownIsReportedFailedWithAReason() throws Exception {
    Path file =
        bosun.file(
            "victim.bosun.yml", "type: task\nname: victim\ncommands:\n  - echo up; sleep 120\n");
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.run("logs", "victim").out().contains("up"));
    long agent = bosun.agentPid().orElseThrow();
    List<ProcessHandle> jobs =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 120")).orElse(false))
            .toList();
    assertThat(jobs).isNotEmpty();
    BosunHarness.kill9(agent);
    for (ProcessHandle job : jobs) {
      job.parent().ifPresent(ProcessHandle::destroyForcibly);
      job.destroyForcibly();
    }
    RunInfo run =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> bosun.client().run("main", "victim"), info -> info.finishedAt() != null);
    assertThat(run.status()).isEqualTo("failed");
    assertThat(run.reasonText()).isNotBlank();
  }
}
