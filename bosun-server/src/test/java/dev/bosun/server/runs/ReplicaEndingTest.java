package dev.bosun.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.state.TerminationReason;
import dev.bosun.store.JobRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaEndingTest {
  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  /** Submission {@code submission} of replica {@code replica}, which ran for {@code seconds}. */
  private static JobRecord ended(
      int replica, int submission, TerminationReason reason, long seconds) {
    Instant start = T0.plusSeconds(submission * 1000L);
    return JobRecord.submitted("job-" + replica + "-" + submission, "run", replica, submission, T0)
        .withState(
            reason.jobStatus(), 1, reason, reason.description(), start, start.plusSeconds(seconds));
  }

  @Test
  void countsOnlyTheReplicasLatestQuickEndsInARow() {
    TerminationReason error = TerminationReason.CONTAINER_EXITED_WITH_ERROR;
    List<JobRecord> jobs =
        List.of(
            ended(1, 0, error, 5),
            ended(1, 1, error, 600), // it served for ten minutes: the count starts after it
            ended(1, 2, error, 3),
            ended(1, 3, TerminationReason.INSTANCE_UNREACHABLE, 10),
            ended(0, 0, error, 1));

    assertThat(ReplicaEnding.quickEnds(jobs, 1)).isEqualTo(2);
    assertThat(ReplicaEnding.quickEnds(jobs, 0)).isEqualTo(1);
    assertThat(ReplicaEnding.quickEnds(jobs, 2)).isZero();
  }

  @Test
  void endsThatWereDecidedDoNotCount() {
    List<JobRecord> jobs =
        List.of(
            ended(0, 0, TerminationReason.CONTAINER_EXITED_WITH_ERROR, 2),
            ended(0, 1, TerminationReason.SCALED_DOWN, 2));

    assertThat(ReplicaEnding.quickEnds(jobs, 0)).isZero();
  }
}
