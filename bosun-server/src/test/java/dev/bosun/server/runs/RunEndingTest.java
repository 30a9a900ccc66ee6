package dev.bosun.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.config.StartupOrder;
import dev.bosun.model.config.StopCriteria;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.StopRequestKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunEndingTest {
  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private static JobRecord ended(int rank, TerminationReason reason, int secondsAfter) {
    JobRecord queued = JobRecord.submitted("job-" + rank, "run", rank, 0, T0);
    return queued.withState(
        reason.jobStatus(), null, reason, reason.description(), T0, T0.plusSeconds(secondsAfter));
  }

  private static JobRecord running(int rank) {
    return JobRecord.submitted("job-" + rank, "run", rank, 0, T0)
        .withState(dev.bosun.model.state.JobStatus.RUNNING, null, null, null, T0, null);
  }

  private static RunSpec spec(StopCriteria stop) {
    return new RunSpec(
        "task",
        "run",
        List.of("true"),
        Map.of(),
        null,
        null,
        0,
        Set.of(),
        null,
        null,
        RunSpec.DEFAULT_STOP_DURATION,
        List.of(),
        null,
        List.of(),
        2,
        StartupOrder.ANY,
        stop,
        false,
        List.of());
  }

  private static RunRecord run(StopRequestKind stop) {
    return new RunRecord(
        "run",
        "p",
        "main",
        "u",
        "admin",
        "run",
        "task",
        dev.bosun.model.state.RunStatus.RUNNING,
        "",
        "f.yml",
        Map.of(),
        0,
        T0,
        T0,
        null,
        null,
        null,
        null,
        null,
        null,
        stop,
        0);
  }

  @Test
  void aFailedNodeStopsTheOthersUnlessTheUserIsStoppingTheRun() {
    JobRecord failed = ended(1, TerminationReason.INSTANCE_UNREACHABLE, 5);
    assertThat(RunEnding.stopsTheOthers(failed, spec(StopCriteria.ALL_DONE), run(null)))
        .isEqualTo(TerminationReason.GANG_MEMBER_FAILED);
    assertThat(
            RunEnding.stopsTheOthers(
                ended(1, TerminationReason.STOPPED_BY_USER, 5),
                spec(StopCriteria.ALL_DONE),
                run(StopRequestKind.STOP)))
        .isNull();
  }

  @Test
  void aFinishedNodeStopsTheOthersOnlyWhenItIsTheMasterUnderMasterDone() {
    JobRecord master = ended(0, TerminationReason.DONE_BY_AGENT, 5);
    JobRecord worker = ended(1, TerminationReason.DONE_BY_AGENT, 5);
    assertThat(RunEnding.stopsTheOthers(master, spec(StopCriteria.ALL_DONE), run(null))).isNull();
    assertThat(RunEnding.stopsTheOthers(worker, spec(StopCriteria.MASTER_DONE), run(null)))
        .isNull();
    assertThat(RunEnding.stopsTheOthers(master, spec(StopCriteria.MASTER_DONE), run(null)))
        .isEqualTo(TerminationReason.MASTER_JOB_DONE);
  }

  @Test
  void theFirstNodeThatDidNotSucceedDecidesTheRun() {
    assertThat(
            RunEnding.cause(
                List.of(
                    ended(0, TerminationReason.GANG_MEMBER_FAILED, 9),
                    ended(1, TerminationReason.CONTAINER_EXITED_WITH_ERROR, 7),
                    ended(2, TerminationReason.INSTANCE_UNREACHABLE, 3))))
        .extracting(JobRecord::jobNum)
        .isEqualTo(2);
    assertThat(
            RunEnding.cause(
                List.of(
                    ended(0, TerminationReason.DONE_BY_AGENT, 9),
                    ended(1, TerminationReason.MASTER_JOB_DONE, 10))))
        .isNull();
    assertThat(RunEnding.cause(List.of(ended(0, TerminationReason.DONE_BY_AGENT, 1), running(1))))
        .isNull();
  }
}
