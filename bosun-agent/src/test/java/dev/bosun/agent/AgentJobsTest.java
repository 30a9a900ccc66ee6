package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.api.agent.JobState;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs that run to their end on an in-process agent. */
class AgentJobsTest {
  @TempDir static Path dataDir;
  @TempDir Path scratch;
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
  void failingJobRecordsItsExitStatusAndTimestampedLines() throws Exception {
    JobState started =
        agent.client.submit(TestAgent.job("fail", "echo hello; echo err >&2; exit 3").build());
    assertThat(started.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(started.pid()).isNotNull();

    JobState finished = agent.awaitFinished("fail");

    assertThat(finished.status()).isEqualTo(JobStatus.FAILED);
    assertThat(finished.exitStatus()).isEqualTo(3);
    assertThat(finished.terminationReason())
        .isEqualTo(TerminationReason.CONTAINER_EXITED_WITH_ERROR);
    assertThat(finished.message()).isEqualTo("exited with status 3");
    assertThat(finished.startedAt()).isNotNull();
    assertThat(finished.finishedAt()).isAfterOrEqualTo(finished.startedAt());
    List<String> lines = agent.fullLog("fail").lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z hello");
    assertThat(lines.get(1)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z err");
    Instant first = Instant.parse(lines.get(0).substring(0, lines.get(0).indexOf(' ')));
    Instant second = Instant.parse(lines.get(1).substring(0, lines.get(1).indexOf(' ')));
    assertThat(second).isAfterOrEqualTo(first);
    assertThat(Files.readString(dataDir.resolve("jobs/fail/exit_code"))).isEqualTo("3\n");
    assertThat(Files.readString(dataDir.resolve("jobs/fail/output"))).isEqualTo("hello\nerr\n");
  }

  @Test
  void successfulJobIsDoneAndCommandsRunInOrder() {
    agent.client.submit(TestAgent.job("ok", "echo one", "echo two", "true").build());

    JobState finished = agent.awaitFinished("ok");

    assertThat(finished.status()).isEqualTo(JobStatus.DONE);
    assertThat(finished.terminationReason()).isEqualTo(TerminationReason.DONE_BY_AGENT);
    assertThat(finished.exitStatus()).isZero();
    assertThat(finished.pid()).isNull();
    assertThat(agent.logTexts("ok")).containsExactly("one", "two");
  }

  @Test
  void environmentAndWorkingDirectoryReachTheJob() throws Exception {
    agent.client.submit(
        TestAgent.job("env", "echo \"$GREETING\"", "pwd")
            .env("GREETING", "hi there")
            .workingDir("sub/dir")
            .build());
    agent.client.submit(TestAgent.job("absdir", "pwd").workingDir(scratch.toString()).build());

    agent.awaitFinished("env");
    agent.awaitFinished("absdir");

    Path relative = dataDir.resolve("jobs/env/workdir/sub/dir").toRealPath();
    assertThat(agent.logTexts("env")).containsExactly("hi there", relative.toString());
    assertThat(agent.logTexts("absdir")).containsExactly(scratch.toRealPath().toString());
  }

  @Test
  void allocatedGpusBecomeTheVisibleDevices() {
    String show =
        "echo \"cuda=[${CUDA_VISIBLE_DEVICES-unset}] nvidia=[${NVIDIA_VISIBLE_DEVICES-unset}]\"";
    agent.client.submit(TestAgent.job("gpus", show).gpus(1, 3).build());
    agent.client.submit(TestAgent.job("nogpus", show).build());
    agent.client.submit(
        TestAgent.job("servergpus", show).gpus(0).env("CUDA_VISIBLE_DEVICES", "GPU-abc").build());

    agent.awaitFinished("gpus");
    agent.awaitFinished("nogpus");
    agent.awaitFinished("servergpus");

    assertThat(agent.logTexts("gpus")).containsExactly("cuda=[1,3] nvidia=[1,3]");
    assertThat(agent.logTexts("nogpus")).containsExactly("cuda=[] nvidia=[]");
    assertThat(agent.logTexts("servergpus")).containsExactly("cuda=[GPU-abc] nvidia=[0]");
  }

  @Test
  void submittingTwiceStartsTheJobOnce() throws Exception {
    Path marker = scratch.resolve("runs");
    var spec = TestAgent.job("twice", "echo ran >> " + marker, "sleep 0.3").build();

    JobState first = agent.client.submit(spec);
    JobState second = agent.client.submit(spec);
    agent.awaitFinished("twice");
    JobState third = agent.client.submit(spec);

    assertThat(second.pid()).isEqualTo(first.pid());
    assertThat(third.status()).isEqualTo(JobStatus.DONE);
    assertThat(Files.readAllLines(marker)).containsExactly("ran");
  }

  @Test
  void jobLeadsItsOwnSessionAndProcessGroup() {
    JobState started = agent.client.submit(TestAgent.job("leader", "sleep 0.5").build());

    // setsid turns the started process into a session leader without forking: same pid
    ProcStat stat =
        org.awaitility.Awaitility.await()
            .atMost(TestAgent.TIMEOUT)
            .until(
                () -> ProcStat.read(started.pid()).orElseThrow(),
                s -> s.session() == started.pid());

    assertThat(stat.processGroup()).isEqualTo(started.pid());
    assertThat(stat.session()).isEqualTo(started.pid());
    assertThat(agent.awaitFinished("leader").status()).isEqualTo(JobStatus.DONE);
  }

  @Test
  void shellCanBeChosenAndAMissingShellFailsTheJob() {
    agent.client.submit(
        TestAgent.job("sh", "echo \"bash=[${BASH_VERSION-}]\"").shell("sh").build());
    agent.client.submit(TestAgent.job("bash", "echo \"bash=[${BASH_VERSION-}]\"").build());
    JobState missing =
        agent.client.submit(TestAgent.job("noshell", "true").shell("/no/such/shell").build());

    assertThat(missing.status()).isEqualTo(JobStatus.FAILED);
    assertThat(missing.terminationReason()).isEqualTo(TerminationReason.EXECUTOR_ERROR);
    assertThat(missing.message()).contains("/no/such/shell");
    assertThat(agent.logTexts("noshell")).singleElement().asString().contains("/no/such/shell");
    assertThat(agent.awaitFinished("sh").status()).isEqualTo(JobStatus.DONE);
    assertThat(agent.logTexts("sh")).containsExactly("bash=[]");
    assertThat(agent.awaitFinished("bash").status()).isEqualTo(JobStatus.DONE);
    assertThat(agent.logTexts("bash")).singleElement().asString().startsWith("bash=[5");
  }

  @Test
  void backgroundProcessesEndWithTheJob() throws Exception {
    agent.client.submit(TestAgent.job("leftover", "sleep 300 & echo $! > child.pid").build());

    agent.awaitFinished("leftover");

    long child = ProcessProbe.readPid(dataDir.resolve("jobs/leftover/workdir/child.pid"));
    org.awaitility.Awaitility.await()
        .atMost(TestAgent.TIMEOUT)
        .until(() -> !ProcessProbe.isRunning(child));
  }

  @Test
  void utf8OutputKeepsItsCharacters() {
    agent.client.submit(TestAgent.job("utf8", "echo 'héllo ✓ 日本'").build());

    agent.awaitFinished("utf8");

    assertThat(agent.logTexts("utf8")).containsExactly("héllo ✓ 日本");
  }
}
