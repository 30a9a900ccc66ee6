package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static dev.bosun.scheduler.Fixtures.gpu;
import static dev.bosun.scheduler.Fixtures.holding;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.placementOf;
import static dev.bosun.scheduler.Fixtures.plan;
import static dev.bosun.scheduler.Fixtures.run;
import static dev.bosun.scheduler.Fixtures.snapshot;
import static dev.bosun.scheduler.Fixtures.unplaceableOf;
import static dev.bosun.scheduler.Fixtures.waitingOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueueTest {
  private static final Instant IN_ONE_HOUR = NOW.plus(Duration.ofHours(1));
  private static final Instant IN_TWO_HOURS = NOW.plus(Duration.ofHours(2));

  @Test
  void priorityOrderBeatsAge() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(1)),
            run("old-low").priority(10).submittedMinutesAgo(60).gpu(gpu("H100", 1)),
            run("new-high").priority(50).submittedMinutesAgo(1).gpu(gpu("H100", 1)));

    assertThat(placementOf(plan, "new-high").gpuIndices()).containsExactly(0);
    assertThat(waitingOf(plan, "old-low").reason())
        .isEqualTo("no host has a free GPU matching H100:1 (h1: 1/1 GPUs busy)");
  }

  @Test
  void olderRunFirstWithinAPriority() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(1)),
            run("newer").submittedMinutesAgo(1).gpu(gpu("H100", 1)),
            run("older").submittedMinutesAgo(30).gpu(gpu("H100", 1)));

    assertThat(plan.placements()).extracting(Placement::runId).containsExactly("older");
  }

  @Test
  void planListsFollowQueueOrder() {
    Plan plan =
        plan(
            snapshot(instance("h1").cpus(4)),
            run("c").cpus(2).submittedMinutesAgo(1),
            run("a").cpus(2).submittedMinutesAgo(3),
            run("b").cpus(2).submittedMinutesAgo(2));

    assertThat(plan.placements()).extracting(Placement::runId).containsExactly("a", "b");
  }

  @Test
  void secondFullHostRunWaitsUntilFirstEnds() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(8)),
            run("first")
                .submittedMinutesAgo(10)
                .gpu(gpu("H100", 8))
                .maxDuration(Duration.ofHours(1)),
            run("second").submittedMinutesAgo(5).gpu(gpu("H100", 8)));

    assertThat(placementOf(plan, "first").instanceId()).isEqualTo("id-h1");
    Waiting second = waitingOf(plan, "second");
    assertThat(second.estimatedStart()).isEqualTo(IN_ONE_HOUR);
    assertThat(second.reason())
        .isEqualTo("no host has 8 free GPUs matching H100:8 (h1: 8/8 GPUs busy until ~13:00 UTC)");
  }

  @Test
  void estimateIsUnknownWhenAJobItNeedsHasNoEnd() {
    Plan plan =
        plan(
            snapshot(
                instance("h1")
                    .h100s(2)
                    .holding(holding("a", 1, 1, IN_ONE_HOUR, 0))
                    .holding(holding("b", 1, 1, null, 1))),
            run("r").gpu(gpu("H100", 2)));

    assertThat(waitingOf(plan, "r").estimatedStart()).isNull();
  }

  @Test
  void estimateNeedsOnlyEnoughJobsToEnd() {
    Plan plan =
        plan(
            snapshot(
                instance("h1")
                    .h100s(2)
                    .holding(holding("a", 1, 1, IN_TWO_HOURS, 0))
                    .holding(holding("b", 1, 1, null, 1))),
            run("r").gpu(gpu("H100", 1)));

    assertThat(waitingOf(plan, "r").estimatedStart()).isEqualTo(IN_TWO_HOURS);
  }

  @Test
  void estimateIsTheEarliestHost() {
    Plan plan =
        plan(
            snapshot(
                instance("h1").h100s(1).holding(holding("a", 1, 1, IN_TWO_HOURS, 0)),
                instance("h2").h100s(1).holding(holding("b", 1, 1, IN_ONE_HOUR, 0))),
            run("r").gpu(gpu("H100", 1)));

    Waiting waiting = waitingOf(plan, "r");
    assertThat(waiting.estimatedStart()).isEqualTo(IN_ONE_HOUR);
    assertThat(waiting.reason())
        .isEqualTo(
            "no host has a free GPU matching H100:1"
                + " (h1: 1/1 GPUs busy until ~14:00 UTC; h2: 1/1 GPUs busy until ~13:00 UTC)");
  }

  @Test
  void overdueJobGivesAnEstimateOfNow() {
    Plan plan =
        plan(
            snapshot(
                instance("h1").h100s(1).holding(holding("late", 1, 1, NOW.minusSeconds(60), 0))),
            run("r").gpu(gpu("H100", 1)));

    assertThat(waitingOf(plan, "r").estimatedStart()).isEqualTo(NOW);
  }

  @Test
  void waitingHeadBlocksLowerPriority() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(8).holding(holding("x", 1, 1, IN_ONE_HOUR, 0, 1, 2, 3))),
            run("big-train").priority(50).gpu(gpu("H100", 8)),
            run("small").priority(10).gpu(gpu("H100", 1)));

    assertThat(plan.placements()).isEmpty();
    assertThat(waitingOf(plan, "big-train").estimatedStart()).isEqualTo(IN_ONE_HOUR);
    Waiting small = waitingOf(plan, "small");
    assertThat(small.reason()).isEqualTo("waiting behind run big-train (priority 50)");
    assertThat(small.estimatedStart()).isNull();
  }

  @Test
  void waitingHeadBlocksLaterRunsOfTheSamePriority() {
    Plan plan =
        plan(
            snapshot(instance("h1").cpus(8).holding(holding("x", 4, 1, null))),
            run("wide").submittedMinutesAgo(10).cpus(8),
            run("narrow").submittedMinutesAgo(5).cpus(2));

    assertThat(plan.placements()).isEmpty();
    assertThat(waitingOf(plan, "narrow").reason())
        .isEqualTo("waiting behind run wide (priority 0)");
  }

  @Test
  void waitingHeadLeavesHostsItCannotUseOpen() {
    Plan plan =
        plan(
            snapshot(
                instance("gpu-box").h100s(8).holding(holding("x", 1, 1, null, 0)),
                instance("cpu-box").cpus(8)),
            run("big-train").priority(50).gpu(gpu("H100", 8)),
            run("etl").priority(10).cpus(4));

    assertThat(waitingOf(plan, "big-train").reason())
        .startsWith("no host has 8 free GPUs matching H100:8 (");
    assertThat(placementOf(plan, "etl").instanceId()).isEqualTo("id-cpu-box");
  }

  @Test
  void runWhoseHostsAreAllHeldWaitsBehindTheHolder() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(2).holding(holding("x", 1, 1, IN_ONE_HOUR, 0, 1))),
            run("head").priority(50).gpu(gpu("H100", 2)),
            run("next").priority(10).gpu(gpu("H100", 1)));

    assertThat(waitingOf(plan, "head").estimatedStart()).isEqualTo(IN_ONE_HOUR);
    Waiting next = waitingOf(plan, "next");
    assertThat(next.reason()).isEqualTo("waiting behind run head (priority 50)");
    assertThat(next.estimatedStart()).isNull();
  }

  @Test
  void runWaitsBehindTheFirstOfTheRunsHoldingItsHosts() {
    Plan plan =
        plan(
            snapshot(
                instance("h1").h100s(2).holding(holding("x", 1, 1, null, 0, 1)),
                instance("h2")
                    .gpus(4, "A100-SXM4-80GB", 81920)
                    .holding(holding("y", 1, 1, null, 0, 1, 2, 3))),
            run("wants-h100").priority(20).gpu(gpu("H100", 2)),
            run("wants-a100").priority(30).gpu(gpu("A100", 4)),
            run("wants-any").priority(10).gpu(Fixtures.anyGpu(1)));

    assertThat(waitingOf(plan, "wants-h100").reason()).startsWith("no host has 2 free GPUs");
    assertThat(waitingOf(plan, "wants-a100").reason()).startsWith("no host has 4 free GPUs");
    assertThat(waitingOf(plan, "wants-any").reason())
        .isEqualTo("waiting behind run wants-a100 (priority 30)");
  }

  @Test
  void runWithAHostNobodyHoldsWaitsForThatHost() {
    Plan plan =
        plan(
            snapshot(
                instance("h1").h100s(2).holding(holding("x", 1, 1, null, 0)),
                instance("h2").h100s(1).holding(holding("y", 1, 1, IN_TWO_HOURS, 0))),
            run("head").priority(50).gpu(gpu("H100", 2)),
            run("next").priority(10).gpu(gpu("H100", 1)));

    assertThat(waitingOf(plan, "head").reason())
        .isEqualTo("no host has 2 free GPUs matching H100:2 (h1: 1/2 GPUs busy; h2: 1 H100 GPU)");
    Waiting next = waitingOf(plan, "next");
    assertThat(next.reason())
        .isEqualTo(
            "no host has a free GPU matching H100:1"
                + " (h2: 1/1 GPUs busy until ~14:00 UTC; h1: free, held for run head)");
    assertThat(next.estimatedStart()).isEqualTo(IN_TWO_HOURS);
  }

  @Test
  void unplaceableRunBlocksNobody() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(8)),
            run("huge").priority(90).gpu(gpu("H100", 16)),
            run("small").priority(10).gpu(gpu("H100", 1)));

    assertThat(unplaceableOf(plan, "huge").reason())
        .isEqualTo("no host has 16 GPUs matching H100:16 (h1: 8 H100 GPUs)");
    assertThat(placementOf(plan, "small").gpuIndices()).containsExactly(0);
  }

  @Test
  void queueOrderAsGivenDoesNotMatter() {
    ClusterSnapshot snapshot = snapshot(instance("h1").h100s(4), instance("h2").h100s(2));
    List<QueuedRun> queue =
        List.of(
            run("a").gpu(gpu("H100", 2)).submittedMinutesAgo(3).build(),
            run("b").gpu(gpu("H100", 3)).submittedMinutesAgo(2).build(),
            run("c").gpu(gpu("H100", 1)).submittedMinutesAgo(2).build());
    Scheduler scheduler = new Scheduler();

    Plan forward = scheduler.plan(snapshot, queue, NOW, new SplittableRandom(7));
    Plan backward = scheduler.plan(snapshot, queue.reversed(), NOW, new SplittableRandom(7));

    assertThat(backward).isEqualTo(forward);
  }

  @Test
  void runListedTwiceIsRejected() {
    QueuedRun twice = run("a").build();

    assertThatThrownBy(
            () ->
                new Scheduler()
                    .plan(
                        ClusterSnapshot.EMPTY, List.of(twice, twice), NOW, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("appears twice");
  }
}
