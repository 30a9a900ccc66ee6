package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static dev.bosun.scheduler.Fixtures.gpu;
import static dev.bosun.scheduler.Fixtures.holding;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.run;
import static dev.bosun.scheduler.Fixtures.waitingOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Opt-in preemption: only preemptible runs of lower priority, only when it makes room. */
class PreemptionTest {
  private static Plan plan(
      Map<String, RunningRun> running,
      List<Fixtures.InstanceBuilder> hosts,
      Fixtures.RunBuilder... runs) {
    ClusterSnapshot snapshot =
        new ClusterSnapshot(hosts.stream().map(Fixtures.InstanceBuilder::build).toList(), running);
    return new Scheduler()
        .plan(
            snapshot,
            Arrays.stream(runs).map(Fixtures.RunBuilder::build).toList(),
            FairShare.NONE,
            NOW,
            new SplittableRandom(1));
  }

  /** h1: 8 GPUs, 4 held by run-of-a (GPUs 0-3), 2 by run-of-b (4-5), 2 by run-of-c (6-7). */
  private static List<Fixtures.InstanceBuilder> fullHost() {
    return List.of(
        instance("h1")
            .h100s(8)
            .holding(holding("a", 1, 1, null, 0, 1, 2, 3))
            .holding(holding("b", 1, 1, null, 4, 5))
            .holding(holding("c", 1, 1, null, 6, 7)));
  }

  @Test
  void aWaitingRunOfHigherPriorityStopsTheFewestPreemptibleRunsOfLowerPriority() {
    Map<String, RunningRun> running =
        Map.of(
            "run-of-a", new RunningRun(10, true, false),
            "run-of-b", new RunningRun(5, true, false),
            "run-of-c", new RunningRun(50, true, false));
    Plan plan = plan(running, fullHost(), run("urgent").priority(40).gpu(gpu("H100", 4)));

    assertThat(plan.preemptions())
        .as("b (priority 5) first, then a (10); c has a higher priority than urgent")
        .extracting(Preemption::runId)
        .containsExactly("run-of-b", "run-of-a");
    assertThat(plan.preemptions()).allMatch(p -> p.forRunId().equals("urgent"));
    assertThat(waitingOf(plan, "urgent").reason()).startsWith("stopping 2 preemptible run(s)");
  }

  @Test
  void nothingIsPreemptedForARunThatWouldNotFitThen() {
    Map<String, RunningRun> running =
        Map.of(
            "run-of-a", new RunningRun(10, true, false),
            "run-of-b", new RunningRun(10, false, false),
            "run-of-c", new RunningRun(10, true, false));
    // 8 GPUs needs b too, which is not preemptible.
    Plan plan = plan(running, fullHost(), run("urgent").priority(40).gpu(gpu("H100", 8)));
    assertThat(plan.preemptions()).isEmpty();
    // Equal priority never preempts.
    Plan equal = plan(running, fullHost(), run("same").priority(10).gpu(gpu("H100", 2)));
    assertThat(equal.preemptions()).isEmpty();
  }

  @Test
  void runsBeingStoppedCountAsGoneSoNothingMoreIsPreempted() {
    Map<String, RunningRun> running =
        Map.of(
            "run-of-a", new RunningRun(10, true, true),
            "run-of-b", new RunningRun(5, true, false),
            "run-of-c", new RunningRun(5, true, false));
    Plan plan = plan(running, fullHost(), run("urgent").priority(40).gpu(gpu("H100", 4)));
    assertThat(plan.preemptions()).isEmpty();
  }

  @Test
  void twoWaitingRunsNeverCountOnTheSameFreedGpus() {
    Map<String, RunningRun> running =
        Map.of(
            "run-of-a", new RunningRun(10, true, false),
            "run-of-b", new RunningRun(5, true, false),
            "run-of-c", new RunningRun(5, true, false));
    Plan plan =
        plan(
            running,
            fullHost(),
            run("first").priority(40).submittedMinutesAgo(10).gpu(gpu("H100", 2)),
            run("second").priority(40).submittedMinutesAgo(5).gpu(gpu("H100", 2)));
    assertThat(plan.preemptions())
        .extracting(Preemption::forRunId, Preemption::runId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("first", "run-of-b"),
            org.assertj.core.groups.Tuple.tuple("second", "run-of-c"));
  }
}
