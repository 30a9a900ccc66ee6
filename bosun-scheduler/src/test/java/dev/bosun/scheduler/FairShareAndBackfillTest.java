package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static dev.bosun.scheduler.Fixtures.gpu;
import static dev.bosun.scheduler.Fixtures.holding;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.placementOf;
import static dev.bosun.scheduler.Fixtures.plan;
import static dev.bosun.scheduler.Fixtures.run;
import static dev.bosun.scheduler.Fixtures.snapshot;
import static dev.bosun.scheduler.Fixtures.waitingOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backfill with reservations, and fair share between projects and users. */
class FairShareAndBackfillTest {
  private static final Instant IN_ONE_HOUR = NOW.plus(Duration.ofHours(1));

  /** An 8-GPU host with 4 GPUs held for an hour: the big run at the head waits for it. */
  private static Fixtures.InstanceBuilder halfBusy() {
    return instance("h1").h100s(8).holding(holding("x", 1, 1, IN_ONE_HOUR, 0, 1, 2, 3));
  }

  @Test
  void aShortRunBackfillsTheGapBeforeTheHeadsReservation() {
    Plan plan =
        plan(
            snapshot(halfBusy()),
            run("big").submittedMinutesAgo(10).gpu(gpu("H100", 8)),
            run("short")
                .submittedMinutesAgo(5)
                .gpu(gpu("H100", 2))
                .maxDuration(Duration.ofMinutes(30)));

    assertThat(waitingOf(plan, "big").estimatedStart()).isEqualTo(IN_ONE_HOUR);
    assertThat(placementOf(plan, "short").gpuIndices()).containsExactly(4, 5);
  }

  @Test
  void aRunThatMayOutlastTheReservationDoesNotBackfill() {
    Plan tooLong =
        plan(
            snapshot(halfBusy()),
            run("big").submittedMinutesAgo(10).gpu(gpu("H100", 8)),
            run("long")
                .submittedMinutesAgo(5)
                .gpu(gpu("H100", 2))
                .maxDuration(Duration.ofHours(2)));
    Plan unbounded =
        plan(
            snapshot(halfBusy()),
            run("big").submittedMinutesAgo(10).gpu(gpu("H100", 8)),
            run("open-ended").submittedMinutesAgo(5).gpu(gpu("H100", 2)));

    assertThat(tooLong.placements()).isEmpty();
    assertThat(waitingOf(tooLong, "long").reason())
        .isEqualTo("waiting behind run big (priority 0)");
    assertThat(unbounded.placements()).isEmpty();
  }

  @Test
  void noBackfillWhereTheReservedStartIsUnknown() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(8).holding(holding("x", 1, 1, null, 0, 1, 2, 3))),
            run("big").submittedMinutesAgo(10).gpu(gpu("H100", 8)),
            run("short")
                .submittedMinutesAgo(5)
                .gpu(gpu("H100", 1))
                .maxDuration(Duration.ofMinutes(1)));

    assertThat(plan.placements()).isEmpty();
  }

  @Test
  void twoProjectsOfEqualWeightTakeTurns() {
    List<Fixtures.RunBuilder> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(run("a" + i).by("alpha", "ann").submittedMinutesAgo(100 - i).gpu(gpu("H100", 1)));
    }
    for (int i = 0; i < 4; i++) {
      runs.add(run("b" + i).by("beta", "bob").submittedMinutesAgo(50 - i).gpu(gpu("H100", 1)));
    }
    Plan plan = plan(snapshot(instance("h1").h100s(4)), runs.toArray(Fixtures.RunBuilder[]::new));

    assertThat(plan.placements())
        .extracting(Placement::runId)
        .containsExactlyInAnyOrder("a0", "b0", "a1", "b1");
  }

  @Test
  void sharesFollowProjectWeightsAndPastUse() {
    List<Fixtures.RunBuilder> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(run("a" + i).by("alpha", "ann").submittedMinutesAgo(100 - i).gpu(gpu("H100", 1)));
      runs.add(run("b" + i).by("beta", "bob").submittedMinutesAgo(100 - i).gpu(gpu("H100", 1)));
    }
    FairShare weighted = new FairShare(Map.of("alpha", 2.0), Map.of(), Map.of());
    Plan plan =
        plan(snapshot(instance("h1").h100s(6)), weighted, runs.toArray(Fixtures.RunBuilder[]::new));
    assertThat(plan.placements().stream().filter(p -> p.runId().startsWith("a")).count())
        .as("weight 2 against 1: 4 of 6 GPUs")
        .isEqualTo(4);

    // beta has used 10 GPU-hours already: alpha goes first until it catches up.
    FairShare history = new FairShare(Map.of(), Map.of("beta", 10.0), Map.of());
    Plan caughtUp =
        plan(snapshot(instance("h1").h100s(6)), history, runs.toArray(Fixtures.RunBuilder[]::new));
    assertThat(caughtUp.placements()).allMatch(p -> p.runId().startsWith("a"));
  }

  @Test
  void usersInsideAProjectShareItAndPriorityStillComesFirst() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(3)),
            run("ann-1").by("p", "ann").submittedMinutesAgo(30).gpu(gpu("H100", 1)),
            run("ann-2").by("p", "ann").submittedMinutesAgo(29).gpu(gpu("H100", 1)),
            run("ann-3").by("p", "ann").submittedMinutesAgo(28).gpu(gpu("H100", 1)),
            run("bob-1").by("p", "bob").submittedMinutesAgo(5).gpu(gpu("H100", 1)),
            run("urgent").by("p", "ann").priority(90).submittedMinutesAgo(1).gpu(gpu("H100", 1)));

    assertThat(plan.placements())
        .extracting(Placement::runId)
        .containsExactlyInAnyOrder("urgent", "ann-1", "bob-1");
  }
}
