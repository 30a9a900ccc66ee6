package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inactivity_duration}: the agent stops a job that no SSH session has been in for that long,
 * and leaves alone one that someone is connected to, however long they stay. Sessions are opened
 * with the real OpenSSH client through the agent's own SSH server.
 */
class AgentInactivityTest {
  @TempDir static Path dataDir;
  @TempDir static Path sshDir;
  static TestAgent agent;
  static OpenSsh ssh;

  @BeforeAll
  static void start() {
    agent = TestAgent.start(dataDir);
    ssh = OpenSsh.create(sshDir, agent.handle.sshPort());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static void running(String jobId, long inactivitySeconds) {
    agent.client.submit(
        TestAgent.job(jobId, "sleep 600").inactivityDuration(inactivitySeconds).build());
    agent.awaitState(jobId, state -> state.status() == JobStatus.RUNNING);
    agent.client.authorizeSshKeys(jobId, List.of(OpenSsh.publicKey(ssh.key)));
  }

  @Test
  void anEnvironmentNoOneEntersStopsAfterItsInactivityDuration() {
    running("alone", 2);

    JobState finished = agent.awaitFinished("alone");

    assertThat(finished.status()).isEqualTo(JobStatus.TERMINATED);
    assertThat(finished.terminationReason())
        .isEqualTo(TerminationReason.INACTIVITY_DURATION_EXCEEDED);
    assertThat(Duration.between(finished.startedAt(), finished.finishedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aLiveSessionKeepsItUpAndTheClockStartsWhenTheLastOneLeaves() {
    running("attended", 2);

    // One session, quiet for three times the limit: the job must still be running at its end.
    OpenSsh.Result session = ssh.ssh("attended", "sleep 6; echo still here");
    Instant left = Instant.now();

    assertThat(session.exit()).as(session.toString()).isZero();
    assertThat(session.out()).isEqualTo("still here\n");
    JobState finished = agent.awaitFinished("attended");
    assertThat(finished.terminationReason())
        .isEqualTo(TerminationReason.INACTIVITY_DURATION_EXCEEDED);
    assertThat(finished.finishedAt()).isAfter(left.plusMillis(1500));
  }

  @Test
  void aJobWithoutInactivityDurationIsNeverStoppedForIt() {
    agent.client.submit(TestAgent.job("task", "sleep 600").build());
    agent.awaitState("task", state -> state.status() == JobStatus.RUNNING);
    running("marker", 1);
    agent.awaitFinished("marker");

    assertThat(agent.client.changes(0, Duration.ZERO).jobs())
        .filteredOn(state -> state.jobId().equals("task"))
        .singleElement()
        .extracting(JobState::status)
        .isEqualTo(JobStatus.RUNNING);
    agent.client.stop("task", new StopRequest(false, TerminationReason.STOPPED_BY_USER));
    assertThat(agent.awaitFinished("task").terminationReason())
        .isEqualTo(TerminationReason.STOPPED_BY_USER);
  }
}
