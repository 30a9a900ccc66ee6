package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.GB;
import static dev.bosun.scheduler.Fixtures.NOW;
import static dev.bosun.scheduler.Fixtures.anyGpu;
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

import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.state.InstanceStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
  @Test
  void jobGetsTheMinimumOfEachRange() {
    Plan plan =
        plan(
            snapshot(instance("h1")),
            run("train")
                .cpu(new CpuSpec(null, new IntRange(4, 8)))
                .memory(new MemoryRange(Memory.ofGb(16), Memory.ofGb(32))));

    Placement placement = placementOf(plan, "train");
    assertThat(placement.instanceId()).isEqualTo("id-h1");
    assertThat(placement.jobId()).isEqualTo("train-job-0");
    assertThat(placement.cpus()).isEqualTo(4);
    assertThat(placement.memoryMb()).isEqualTo(16 * GB);
    assertThat(placement.gpuIndices()).isEmpty();
  }

  @Test
  void defaultsApplyOnABigHost() {
    Placement placement = placementOf(plan(snapshot(instance("h1")), run("r")), "r");

    assertThat(placement.cpus()).isEqualTo(2);
    assertThat(placement.memoryMb()).isEqualTo(8 * GB);
  }

  @Test
  void defaultsRelaxedOnSmallHost() {
    Plan plan = plan(snapshot(instance("laptop").cpus(1).memoryGb(4).diskGb(80)), run("r"));

    Placement placement = placementOf(plan, "r");
    assertThat(placement.cpus()).isEqualTo(1);
    assertThat(placement.memoryMb()).isEqualTo(4 * GB);
  }

  @Test
  void relaxedDefaultStillRespectsWrittenMaximum() {
    Plan plan =
        plan(snapshot(instance("h1")), run("r").cpu(new CpuSpec(null, new IntRange(null, 1))));

    assertThat(placementOf(plan, "r").cpus()).isEqualTo(1);
  }

  @Test
  void explicitCpuNeverRelaxed() {
    Plan plan = plan(snapshot(instance("local").cpus(2)), run("r").cpus(4));

    assertThat(plan.placements()).isEmpty();
    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo("needs 4 CPUs; no host has that many (local: 2 CPUs in total)");
  }

  @Test
  void explicitDiskNeverRelaxed() {
    Plan plan = plan(snapshot(instance("laptop").diskGb(80)), run("r").diskGb(100));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo("needs 100GB free disk; no host has that much (laptop: 80GB free disk)");
  }

  @Test
  void runThatNeverFitsIsUnplaceable() {
    Plan plan = plan(snapshot(instance("h1").h100s(4)), run("big").gpu(gpu("H100", 8)));

    assertThat(plan.placements()).isEmpty();
    assertThat(plan.waiting()).isEmpty();
    assertThat(unplaceableOf(plan, "big").reason())
        .isEqualTo("no host has 8 GPUs matching H100:8 (h1: 4 H100 GPUs)");
  }

  @Test
  void twoOneGpuRunsGetDifferentGpus() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(2)),
            run("a").gpu(gpu("H100", 1)),
            run("b").gpu(gpu("H100", 1)));

    assertThat(placementOf(plan, "a").gpuIndices()).containsExactly(0);
    assertThat(placementOf(plan, "a").gpuUuids()).containsExactly("GPU-h1-0");
    assertThat(placementOf(plan, "b").gpuIndices()).containsExactly(1);
    assertThat(placementOf(plan, "b").gpuUuids()).containsExactly("GPU-h1-1");
  }

  @Test
  void gpusHeldByRunningJobsAreSkipped() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(4).holding(holding("running", 2, 8, null, 0, 2))),
            run("r").gpu(gpu("H100", 2)));

    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(1, 3);
  }

  @Test
  void severalJobsShareAHostUntilItsCpusRunOut() {
    Plan plan =
        plan(
            snapshot(instance("h1").cpus(8)), run("a").cpus(4), run("b").cpus(4), run("c").cpus(4));

    assertThat(placementOf(plan, "a").instanceId()).isEqualTo("id-h1");
    assertThat(placementOf(plan, "b").instanceId()).isEqualTo("id-h1");
    assertThat(waitingOf(plan, "c").reason())
        .isEqualTo("no host has 4 free CPUs (h1: 0 of 8 CPUs free)");
  }

  @Test
  void instanceWithZeroFreeCapacityTakesNothing() {
    Plan plan =
        plan(
            snapshot(
                instance("h1")
                    .cpus(4)
                    .memoryGb(16)
                    .holding(holding("hog", 4, 16, NOW.plusSeconds(600)))),
            run("r").cpus(1).memoryGb(1));

    Waiting waiting = waitingOf(plan, "r");
    assertThat(waiting.estimatedStart()).isEqualTo(NOW.plusSeconds(600));
    assertThat(waiting.reason())
        .isEqualTo(
            "no host has enough free capacity now (h1: 0 of 4 CPUs free (needs 1), 0MB of 16GB memory free (needs 1GB)"
                + " until ~12:10 UTC)");
  }

  @Test
  void hostReDetectedSmallerThanItsJobsTakesNothing() {
    Plan plan =
        plan(
            snapshot(instance("h1").cpus(4).holding(holding("old", 8, 8, null))), run("r").cpus(1));

    assertThat(waitingOf(plan, "r").reason())
        .isEqualTo("no host has 1 free CPU (h1: 0 of 4 CPUs free)");
  }

  @Test
  void binPackingPrefersTheFullestHost() {
    Plan plan =
        plan(
            snapshot(
                instance("empty").h100s(8),
                instance("busy").h100s(8).holding(holding("x", 2, 8, null, 0, 1, 2, 3, 4, 5))),
            run("r").gpu(gpu("H100", 1)));

    assertThat(placementOf(plan, "r").instanceId()).isEqualTo("id-busy");
    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(6);
  }

  @Test
  void cpuOnlyRunLeavesGpuHostsAlone() {
    Plan plan =
        plan(
            snapshot(instance("gpu-box").h100s(8), instance("cpu-box").cpus(64)),
            run("etl").cpus(4));

    assertThat(placementOf(plan, "etl").instanceId()).isEqualTo("id-cpu-box");
  }

  @Test
  void cpuOnlyRunUsesGpuHostWhenNothingElseFits() {
    Plan plan =
        plan(
            snapshot(instance("gpu-box").h100s(8), instance("cpu-box").cpus(2)),
            run("etl").cpus(4));

    assertThat(placementOf(plan, "etl").instanceId()).isEqualTo("id-gpu-box");
  }

  @Test
  void equalHostsAreChosenByName() {
    Plan plan = plan(snapshot(instance("zeta"), instance("alpha"), instance("mid")), run("r"));

    assertThat(placementOf(plan, "r").instanceId()).isEqualTo("id-alpha");
  }

  @Test
  void fleetFilter() {
    Plan plan =
        plan(
            snapshot(instance("laptop").fleet("local"), instance("rack-1").fleet("rack")),
            run("pinned").fleets("rack"),
            run("anywhere"));

    assertThat(placementOf(plan, "pinned").instanceId()).isEqualTo("id-rack-1");
    assertThat(placementOf(plan, "anywhere").instanceId()).isEqualTo("id-laptop");
  }

  @Test
  void fleetWithoutReadyInstancesMakesRunUnplaceable() {
    Plan plan =
        plan(
            snapshot(
                instance("laptop").fleet("local"),
                instance("rack-1").fleet("rack").status(InstanceStatus.PROVISIONING)),
            run("pinned").fleets("rack"));

    assertThat(unplaceableOf(plan, "pinned").reason())
        .isEqualTo(
            "no instance ready in fleet rack (laptop: in fleet local; rack-1: provisioning)");
  }

  @Test
  void armRunSkipsX86Host() {
    Plan plan =
        plan(
            snapshot(instance("intel").arch("x86_64"), instance("graviton").arch("aarch64")),
            run("r").cpu(new CpuSpec("arm", IntRange.atLeast(2))));

    assertThat(placementOf(plan, "r").instanceId()).isEqualTo("id-graviton");
  }

  @Test
  void armRunWithOnlyX86HostsIsUnplaceable() {
    Plan plan =
        plan(
            snapshot(instance("intel").arch("amd64")),
            run("r").cpu(new CpuSpec("arm", IntRange.atLeast(2))));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo("needs arm CPUs; no host has them (intel: amd64 CPUs)");
  }

  @Test
  void onlyReadyInstancesTakeJobs() {
    Plan plan =
        plan(
            snapshot(
                instance("a").status(InstanceStatus.UNREACHABLE),
                instance("b").status(InstanceStatus.PROVISIONING),
                instance("c").undetected(),
                instance("d").status(InstanceStatus.BUSY)),
            run("r"));

    assertThat(placementOf(plan, "r").instanceId()).isEqualTo("id-d");
  }

  @Test
  void emptySnapshotMakesEveryRunUnplaceable() {
    Plan plan = plan(ClusterSnapshot.EMPTY, run("a"), run("b").gpu(gpu("H100", 8)));

    assertThat(plan.unplaceable()).extracting(Unplaceable::runId).containsExactly("a", "b");
    assertThat(plan.unplaceable())
        .allSatisfy(u -> assertThat(u.reason()).startsWith("no fleet has any instance ready; "));
  }

  @Test
  void noReadyInstanceSaysWhich() {
    Plan plan = plan(snapshot(instance("h1").status(InstanceStatus.UNREACHABLE)), run("r"));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo("no fleet has any instance ready (h1: unreachable)");
  }

  @Test
  void gpuCountZeroWithNameNeedsNoGpu() {
    GpuSpec zeroA100 = new GpuSpec(null, List.of("A100"), null, IntRange.exactly(0), null, null);

    Plan plan = plan(snapshot(instance("cpu-only")), run("r").gpu(zeroA100));

    assertThat(placementOf(plan, "r").gpuIndices()).isEmpty();
  }

  @Test
  void namedGpuWithoutMinimumGetsOne() {
    GpuSpec upToFour = new GpuSpec(null, List.of("H100"), null, new IntRange(null, 4), null, null);

    Plan plan = plan(snapshot(instance("h1").h100s(8)), run("r").gpu(upToFour));

    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(0);
  }

  @Test
  void totalMemoryTakesMoreGpusWhenTheMinimumCountFallsShort() {
    GpuSpec spec =
        new GpuSpec(
            null,
            List.of(),
            MemoryRange.atLeast(Memory.ofGb(24)),
            new IntRange(1, 4),
            MemoryRange.atLeast(Memory.ofGb(48)),
            null);

    Plan plan = plan(snapshot(instance("h1").gpus(4, "RTX 4090", 24564)), run("r").gpu(spec));

    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(0, 1);
  }

  @Test
  void anyGpuMatchesEveryVendor() {
    Plan plan =
        plan(
            snapshot(instance("mi").gpus(2, "amd", "Instinct MI300X", 196608)),
            run("r").gpu(anyGpu(2)));

    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(0, 1);
  }

  @Test
  void multiNodeRunGetsOneHostPerJob() {
    Plan plan =
        plan(
            snapshot(instance("h1").cluster().h100s(8), instance("h2").cluster().h100s(8)),
            run("ddp").gpu(gpu("H100", 8)).jobs(2));

    assertThat(plan.placements())
        .extracting(Placement::jobId)
        .containsExactly("ddp-job-0", "ddp-job-1");
    assertThat(plan.placements())
        .extracting(Placement::instanceId)
        .containsExactlyInAnyOrder("id-h1", "id-h2");
  }

  @Test
  void serviceReplicaGoesToAHostWithoutOneOfItsReplicas() {
    Allocation replica0 = new Allocation("web-replica-0", "web", 1, GB, List.of(), null);

    Plan spread =
        plan(
            snapshot(instance("h1").holding(replica0), instance("h2")),
            run("web").cpus(1).onePerHost());
    assertThat(placementOf(spread, "web").instanceId()).isEqualTo("id-h2");

    Plan alone = plan(snapshot(instance("h1").holding(replica0)), run("web").cpus(1).onePerHost());
    assertThat(alone.placements()).isEmpty();
    assertThat(unplaceableOf(alone, "web").reason())
        .startsWith("no ready host without a replica of this service")
        .contains("h1: runs a replica of this service already");

    // Other runs may share a host as before.
    Plan task = plan(snapshot(instance("h1").holding(replica0)), run("web").cpus(1));
    assertThat(placementOf(task, "web").instanceId()).isEqualTo("id-h1");
  }

  @Test
  void multiNodeRunPlacesAllJobsOrNone() {
    Plan plan =
        plan(
            snapshot(
                instance("h1").cluster().h100s(8),
                instance("h2").cluster().h100s(8).holding(holding("x", 1, 1, null, 0))),
            run("ddp").gpu(gpu("H100", 8)).jobs(2));

    assertThat(plan.placements()).isEmpty();
    assertThat(waitingOf(plan, "ddp").reason())
        .startsWith("needs 2 hosts at once; 1 host can take a job now (");
  }

  @Test
  void multiNodeRunNeedsEnoughHostsThatCouldFit() {
    Plan plan =
        plan(snapshot(instance("h1").cluster().h100s(8)), run("ddp").gpu(gpu("H100", 8)).jobs(2));

    assertThat(unplaceableOf(plan, "ddp").reason())
        .isEqualTo(
            "needs 2 hosts of one cluster fleet, but only 1 could ever take a job (h1: free)");
  }

  @Test
  void multiNodeRunGoesOnlyToOneClusterFleet() {
    Plan notCluster =
        plan(
            snapshot(instance("h1").h100s(8), instance("h2").h100s(8)),
            run("ddp").gpu(gpu("H100", 8)).jobs(2));
    assertThat(unplaceableOf(notCluster, "ddp").reason())
        .startsWith("a run with 2 nodes needs 2 ready hosts of one fleet with placement: cluster")
        .contains("fleet default is not placement: cluster");

    // One free host in each of two cluster fleets is not enough: the jobs must share a fleet.
    Plan split =
        plan(
            snapshot(
                instance("a1").fleet("a").cluster().h100s(8),
                instance("b1").fleet("b").cluster().h100s(8)),
            run("ddp").gpu(gpu("H100", 8)).jobs(2));
    assertThat(unplaceableOf(split, "ddp").reason())
        .startsWith("needs 2 hosts of one cluster fleet, but at most 1 could ever take a job");

    Plan together =
        plan(
            snapshot(
                instance("a1").fleet("a").cluster().h100s(8),
                instance("b1").fleet("b").cluster().h100s(8),
                instance("b2").fleet("b").cluster().h100s(8)),
            run("ddp").gpu(gpu("H100", 8)).jobs(2));
    assertThat(together.placements())
        .extracting(Placement::instanceId)
        .containsExactlyInAnyOrder("id-b1", "id-b2");
  }

  @Test
  void placedRunsMaxDurationTellsWhenTheNextMayStart() {
    Plan plan =
        plan(
            snapshot(instance("h1").h100s(8)),
            run("first")
                .gpu(gpu("H100", 8))
                .maxDuration(Duration.ofHours(2))
                .submittedMinutesAgo(10),
            run("second").gpu(gpu("H100", 8)).submittedMinutesAgo(5));

    assertThat(placementOf(plan, "first").gpuIndices()).hasSize(8);
    assertThat(waitingOf(plan, "second").estimatedStart()).isEqualTo(NOW.plus(Duration.ofHours(2)));
  }

  @Test
  void binPackingFillsOneHostAndSpreadingUsesTheLeastLoaded() {
    ClusterSnapshot hosts = snapshot(instance("h1").h100s(8), instance("h2").h100s(8));
    List<QueuedRun> runs =
        List.of(
            run("a").submittedMinutesAgo(3).gpu(gpu("H100", 2)).build(),
            run("b").submittedMinutesAgo(2).gpu(gpu("H100", 2)).build());

    Plan packed = new Scheduler().plan(hosts, runs, NOW, new java.util.SplittableRandom(1));
    Plan spread =
        new Scheduler(new SchedulerOptions(java.time.ZoneId.of("UTC"), true))
            .plan(hosts, runs, NOW, new java.util.SplittableRandom(1));

    assertThat(packed.placements())
        .extracting(Placement::instanceId)
        .containsExactly("id-h1", "id-h1");
    assertThat(spread.placements())
        .extracting(Placement::instanceId)
        .containsExactlyInAnyOrder("id-h1", "id-h2");
  }

  @Test
  void aHostSplitIntoBlocksGivesEachJobWholeShares() {
    // 8 GPUs, 64 CPUs, 512 GB in 4 shares of 2 GPUs, 16 CPUs, 128 GB.
    ClusterSnapshot host = snapshot(instance("h1").cpus(64).memoryGb(512).h100s(8).blocks(4));
    Plan plan =
        new Scheduler()
            .plan(
                host,
                List.of(
                    run("four").submittedMinutesAgo(5).gpu(gpu("H100", 4)).build(),
                    run("one").submittedMinutesAgo(4).gpu(gpu("H100", 1)).build(),
                    run("cpu").submittedMinutesAgo(3).cpus(10).build(),
                    run("late").submittedMinutesAgo(2).gpu(gpu("H100", 1)).build()),
                NOW,
                new java.util.SplittableRandom(1));

    Placement four = placementOf(plan, "four");
    assertThat(four.gpuIndices()).as("two whole shares").containsExactly(0, 1, 2, 3);
    assertThat(four.cpus()).isEqualTo(32);
    assertThat(four.memoryMb()).isEqualTo(256 * GB);
    assertThat(placementOf(plan, "one").gpuIndices()).as("a whole share").containsExactly(4, 5);
    Placement cpu = placementOf(plan, "cpu");
    assertThat(cpu.cpus()).as("a share, with its GPUs, for a CPU job too").isEqualTo(16);
    assertThat(cpu.gpuIndices()).containsExactly(6, 7);
    assertThat(plan.waiting()).extracting(Waiting::runId).containsExactly("late");

    Plan wide = plan(host, run("wide").cpus(20));
    assertThat(placementOf(wide, "wide").cpus()).as("20 CPUs take two shares of 16").isEqualTo(32);
    assertThat(placementOf(wide, "wide").gpuIndices()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aJobNeedingMoreSharesThanTheHostHasNeverFitsThere() {
    Plan plan =
        plan(
            snapshot(instance("h1").cpus(64).memoryGb(512).h100s(8).blocks(4)),
            run("huge").gpu(gpu("H100", 8)).cpus(65));
    assertThat(unplaceableOf(plan, "huge").reason()).isNotBlank();
  }
}
