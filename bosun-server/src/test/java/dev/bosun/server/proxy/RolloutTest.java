package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.state.TerminationReason;
import dev.bosun.store.JobRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTest {
  private static final Instant T0 = Instant.parse("2026-11-28T01:00:00Z");

  private static JobRecord ended(
      int num, int submission, int deployment, TerminationReason why, String text) {
    return JobRecord.submitted(
            "job-" + num + "-" + submission, "run", num, submission, T0, deployment)
        .withState(why.jobStatus(), 1, why, text, T0, T0.plusSeconds(5));
  }

  @Test
  void aRolloutStopsAfterThreeFailedNewReplicasOrOneThatNeverBecameReady() {
    TerminationReason error = TerminationReason.CONTAINER_EXITED_WITH_ERROR;
    List<JobRecord> twoFailures =
        List.of(
            ended(0, 1, 1, error, "boom"),
            ended(0, 2, 1, error, "boom"),
            ended(0, 0, 0, error, "old"));
    assertThat(Rollout.stalled(twoFailures, 0, 1)).isFalse();

    List<JobRecord> three =
        List.of(
            ended(0, 1, 1, error, "boom"),
            ended(0, 2, 1, error, "boom"),
            ended(0, 3, 1, error, "boom"));
    assertThat(Rollout.stalled(three, 0, 1)).isTrue();
    assertThat(Rollout.stalled(three, 0, 2)).isFalse(); // a newer deployment starts afresh
    assertThat(Rollout.stalled(three, 1, 1)).isFalse();

    // Retired replicas (scaled down, replaced) are not failures, unless one never became ready.
    List<JobRecord> retired =
        List.of(
            ended(0, 1, 1, TerminationReason.SCALED_DOWN, "replaced by deployment 2"),
            ended(0, 2, 1, TerminationReason.SCALED_DOWN, "scaled down"),
            ended(0, 3, 1, TerminationReason.SCALED_DOWN, "scaled down"));
    assertThat(Rollout.stalled(retired, 0, 1)).isFalse();
    List<JobRecord> neverReady =
        List.of(
            ended(
                0,
                1,
                1,
                TerminationReason.SCALED_DOWN,
                dev.bosun.server.runs.RolloutRule.NEVER_READY + "20 min of its start"));
    assertThat(Rollout.stalled(neverReady, 0, 1)).isTrue();
  }
}
