package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.InstanceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Invariants over random clusters and queues. Each scenario is built from one seed by {@link
 * RandomScenario}, so a failing seed reproduces exactly; the checks themselves live in {@link
 * PlanInvariants}.
 */
class SchedulerPropertiesTest {
  private static final int MAX_HOSTS = 8;
  private static final int MAX_RUNS = 25;

  private final Scheduler scheduler = new Scheduler();

  @Property(tries = 500)
  void everyQueuedRunAppearsExactlyOnce(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);

    PlanInvariants.everyRunAppearsExactlyOnce(
        scenario.queue(), plan(scenario.snapshot(), scenario.queue(), seed));
  }

  @Property(tries = 500)
  void placementsNeverShareGpusOrExceedHosts(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);

    Plan plan = plan(scenario.snapshot(), scenario.queue(), seed);

    PlanInvariants.placementsRespectHosts(scenario.snapshot(), scenario.queue(), plan);
  }

  @Property(tries = 200)
  void sameInputsAndSeedGiveTheSamePlan(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);

    assertThat(plan(scenario.snapshot(), scenario.queue(), seed))
        .isEqualTo(plan(scenario.snapshot(), scenario.queue(), seed));
  }

  @Property(tries = 200)
  void theOrderRunsAreGivenInDoesNotMatter(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    List<QueuedRun> shuffled = new ArrayList<>(scenario.queue());
    Collections.shuffle(shuffled, new Random(seed));

    assertThat(plan(scenario.snapshot(), shuffled, seed))
        .isEqualTo(plan(scenario.snapshot(), scenario.queue(), seed));
  }

  @Property(tries = 300)
  void addingAHostNeverMakesARunUnplaceable(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    List<InstanceView> bigger = new ArrayList<>(scenario.snapshot().instances());
    RandomScenario donor = RandomScenario.of(seed ^ 0x5DEECE66DL, MAX_HOSTS, 0);
    donor.snapshot().instances().stream()
        .findFirst()
        .ifPresent(instance -> bigger.add(renamed(instance, "extra")));

    assertNoLongerUnplaceable(scenario, new ClusterSnapshot(bigger), seed);
  }

  @Property(tries = 300)
  void growingAHostNeverMakesARunUnplaceable(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    List<InstanceView> grown =
        scenario.snapshot().instances().stream().map(SchedulerPropertiesTest::doubled).toList();

    assertNoLongerUnplaceable(scenario, new ClusterSnapshot(grown), seed);
  }

  @Property(tries = 300)
  void waitingRunsFitAnEmptyClusterAndUnplaceableRunsDoNot(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    Plan plan = plan(scenario.snapshot(), scenario.queue(), seed);
    ClusterSnapshot emptied =
        new ClusterSnapshot(
            scenario.snapshot().instances().stream()
                .map(
                    instance ->
                        new InstanceView(
                            instance.instanceId(),
                            instance.instanceName(),
                            instance.fleetName(),
                            instance.status(),
                            instance.resources(),
                            List.of(),
                            instance.clusterFleet(),
                            instance.blocks()))
                .toList());

    for (QueuedRun run : scenario.queue()) {
      if (run.onePerHost() && holdsAJobOf(scenario.snapshot(), run)) {
        continue; // emptying the hosts also removes the replicas that keep it off them
      }
      Plan alone = plan(emptied, List.of(run), seed);
      boolean unplaceable =
          plan.unplaceable().stream().anyMatch(u -> u.runId().equals(run.runId()));
      if (unplaceable) {
        assertThat(alone.unplaceable()).as("%s alone on empty hosts", run.runId()).hasSize(1);
      } else {
        assertThat(alone.placements())
            .as("%s alone on empty hosts", run.runId())
            .hasSize(run.jobIds().size());
      }
    }
  }

  private static boolean holdsAJobOf(ClusterSnapshot snapshot, QueuedRun run) {
    return snapshot.instances().stream()
        .flatMap(instance -> instance.allocations().stream())
        .anyMatch(allocation -> allocation.runId().equals(run.runId()));
  }

  @Property(tries = 300)
  void backfillNeverDelaysTheReservedStartOfAWaitingRun(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    Plan plan = plan(scenario.snapshot(), scenario.queue(), seed);
    ClusterSnapshot after =
        PlanInvariants.withPlacements(scenario.snapshot(), scenario.queue(), plan, NOW);

    for (Waiting waiting : plan.waiting()) {
      if (waiting.estimatedStart() == null) {
        continue;
      }
      QueuedRun run =
          scenario.queue().stream()
              .filter(r -> r.runId().equals(waiting.runId()))
              .findFirst()
              .orElseThrow();
      Plan alone = plan(after, List.of(run), seed);
      Instant again = alone.waiting().isEmpty() ? NOW : alone.waiting().getFirst().estimatedStart();
      assertThat(again)
          .as(
              "%s was to start by %s; after the plan it is %s",
              run.runId(), waiting.estimatedStart(), again)
          .isNotNull();
      assertThat(again).isBeforeOrEqualTo(waiting.estimatedStart());
    }
  }

  @Property(tries = 200)
  void backfilledRunsEndBeforeTheReservationsTheyUse(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    Plan plan = plan(scenario.snapshot(), scenario.queue(), seed);
    List<QueuedRun> order = new FairShareOrdering(FairShare.NONE).order(scenario.queue());
    Map<String, QueuedRun> runs =
        scenario.queue().stream().collect(Collectors.toMap(QueuedRun::runId, run -> run));

    for (Waiting waiting : plan.waiting()) {
      QueuedRun ahead = runs.get(waiting.runId());
      for (Placement placement : plan.placements()) {
        QueuedRun behind = runs.get(placement.runId());
        InstanceView host = instance(scenario.snapshot(), placement.instanceId());
        if (!ahead.isGang()
            && !(ahead.onePerHost()
                && host.allocations().stream().anyMatch(a -> a.runId().equals(ahead.runId())))
            && order.indexOf(ahead) < order.indexOf(behind)
            && couldEverFit(ahead, instance(scenario.snapshot(), placement.instanceId()), seed)) {
          assertThat(behind.maxDuration())
              .as(
                  "%s started on %s, which %s, ahead of it, waits for: only a run with"
                      + " max_duration may backfill",
                  behind.runId(), placement.instanceId(), ahead.runId())
              .isNotNull();
        }
      }
    }
  }

  @Property(tries = 300)
  void preemptionOnlyStopsPreemptibleRunsOfLowerPriorityForWaitingRuns(@ForAll long seed) {
    RandomScenario scenario = RandomScenario.of(seed, MAX_HOSTS, MAX_RUNS);
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, RunningRun> running = new java.util.HashMap<>();
    for (InstanceView instance : scenario.snapshot().instances()) {
      for (Allocation allocation : instance.allocations()) {
        running.put(
            allocation.runId(),
            new RunningRun(random.nextInt(4), random.nextBoolean(), random.nextInt(5) == 0));
      }
    }
    ClusterSnapshot snapshot = new ClusterSnapshot(scenario.snapshot().instances(), running);
    Plan plan = plan(snapshot, scenario.queue(), seed);
    Map<String, QueuedRun> runs =
        scenario.queue().stream().collect(Collectors.toMap(QueuedRun::runId, run -> run));
    Set<String> waiting = plan.waiting().stream().map(Waiting::runId).collect(Collectors.toSet());

    for (Preemption preemption : plan.preemptions()) {
      RunningRun victim = running.get(preemption.runId());
      QueuedRun beneficiary = runs.get(preemption.forRunId());
      assertThat(waiting).contains(preemption.forRunId());
      assertThat(victim.preemptible()).as("%s is preemptible", preemption.runId()).isTrue();
      assertThat(victim.ending()).isFalse();
      assertThat(victim.priority()).isLessThan(beneficiary.priority());
    }
    assertThat(plan.preemptions()).extracting(Preemption::runId).doesNotHaveDuplicates();
  }

  /** Whether one job of the run fits the instance with no other job on it. */
  private boolean couldEverFit(QueuedRun run, InstanceView instance, long seed) {
    InstanceView empty =
        new InstanceView(
            instance.instanceId(),
            instance.instanceName(),
            instance.fleetName(),
            instance.status(),
            instance.resources(),
            List.of(),
            instance.clusterFleet(),
            instance.blocks());
    QueuedRun oneJob =
        new QueuedRun(
            run.runId(),
            run.runName(),
            run.priority(),
            run.submittedAt(),
            run.resources(),
            run.fleets(),
            List.of(run.jobIds().getFirst()),
            run.maxDuration());
    return !plan(new ClusterSnapshot(List.of(empty)), List.of(oneJob), seed).placements().isEmpty();
  }

  private static InstanceView instance(ClusterSnapshot snapshot, String instanceId) {
    return snapshot.instances().stream()
        .filter(i -> i.instanceId().equals(instanceId))
        .findFirst()
        .orElseThrow();
  }

  private void assertNoLongerUnplaceable(
      RandomScenario scenario, ClusterSnapshot bigger, long seed) {
    Plan before = plan(scenario.snapshot(), scenario.queue(), seed);
    Plan after = plan(bigger, scenario.queue(), seed);

    Set<String> unplaceableBefore =
        before.unplaceable().stream().map(Unplaceable::runId).collect(Collectors.toSet());
    assertThat(after.unplaceable())
        .extracting(Unplaceable::runId)
        .allMatch(unplaceableBefore::contains);
  }

  private Plan plan(ClusterSnapshot snapshot, List<QueuedRun> queue, long seed) {
    return scheduler.plan(snapshot, queue, NOW, new SplittableRandom(seed));
  }

  private static InstanceView renamed(InstanceView instance, String name) {
    return new InstanceView(
        "id-" + name,
        name,
        instance.fleetName(),
        InstanceStatus.IDLE,
        instance.resources(),
        List.of(),
        instance.clusterFleet(),
        instance.blocks());
  }

  private static InstanceView doubled(InstanceView instance) {
    HostResources resources = instance.resources();
    if (resources == null) {
      return instance;
    }
    HostResources twice =
        new HostResources(
            resources.hostname(),
            resources.arch(),
            resources.cpus() * 2,
            resources.memoryMb() * 2,
            resources.diskMb() * 2,
            resources.gpus(),
            resources.internalIp());
    return new InstanceView(
        instance.instanceId(),
        instance.instanceName(),
        instance.fleetName(),
        instance.status(),
        twice,
        instance.allocations(),
        instance.clusterFleet(),
        instance.blocks());
  }
}
