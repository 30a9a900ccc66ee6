package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static dev.bosun.scheduler.Fixtures.gpu;
import static dev.bosun.scheduler.Fixtures.holding;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.plan;
import static dev.bosun.scheduler.Fixtures.run;
import static dev.bosun.scheduler.Fixtures.snapshot;
import static dev.bosun.scheduler.Fixtures.unplaceableOf;
import static dev.bosun.scheduler.Fixtures.waitingOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.state.InstanceStatus;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReasonTest {
  @Test
  void busyGpuHostAndHostWithoutTheModel() {
    Plan plan =
        plan(
            snapshot(
                instance("bosun-h1")
                    .h100s(2)
                    .holding(holding("a", 1, 1, NOW.plus(Duration.ofMinutes(125)), 0))
                    .holding(holding("b", 1, 1, NOW.plus(Duration.ofMinutes(90)), 1)),
                instance("laptop").gpus(1, "GeForce RTX 4090", 24564)),
            run("r").gpu(gpu("H100", 1)));

    assertThat(waitingOf(plan, "r").reason())
        .isEqualTo(
            "no host has a free GPU matching H100:1"
                + " (bosun-h1: 2/2 GPUs busy until ~13:30 UTC; laptop: no H100)");
  }

  @Test
  void mixedShortagesSayWhatTheRunNeeds() {
    Plan plan =
        plan(
            snapshot(instance("small").cpus(2), instance("no-gpu").cpus(32)),
            run("r").cpus(8).gpu(gpu("H100", 1)));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo(
            "no host could ever fit it (small: 2 CPUs in total (needs 8), no GPUs; no-gpu: no GPUs)");
  }

  @Test
  void hostsThatSayTheSameAreGrouped() {
    List<Fixtures.InstanceBuilder> hosts = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      hosts.add(
          instance("node-" + i)
              .h100s(8)
              .holding(holding("x" + i, 1, 1, null, 0, 1, 2, 3, 4, 5, 6, 7)));
    }
    hosts.add(instance("laptop"));
    hosts.add(instance("old").status(InstanceStatus.UNREACHABLE));

    Plan plan =
        plan(
            snapshot(hosts.toArray(Fixtures.InstanceBuilder[]::new)), run("r").gpu(gpu("H100", 8)));

    assertThat(waitingOf(plan, "r").reason())
        .isEqualTo(
            "no host has 8 free GPUs matching H100:8"
                + " (node-1, node-2, node-3 and 2 more: 8/8 GPUs busy; laptop: no GPUs; old: unreachable)");
  }

  @Test
  void manyDifferentHostsAreCut() {
    List<Fixtures.InstanceBuilder> hosts = new ArrayList<>();
    for (int cpus = 1; cpus <= 9; cpus++) {
      hosts.add(instance("h" + cpus).cpus(cpus));
    }

    Plan plan = plan(snapshot(hosts.toArray(Fixtures.InstanceBuilder[]::new)), run("r").cpus(64));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo(
            "needs 64 CPUs; no host has that many (h1: 1 CPU in total;"
                + " h2: 2 CPUs in total; h3: 3 CPUs in total; h4: 4 CPUs in total; h5: 5 CPUs in total; h6: 6 CPUs in total;"
                + " and 3 more hosts)");
  }

  @Test
  void memoryIsWrittenInItsUnits() {
    Plan plan =
        plan(
            snapshot(instance("h1").memoryGb(32).holding(holding("x", 1, 31, null))),
            run("r").memoryGb(16));

    assertThat(waitingOf(plan, "r").reason())
        .isEqualTo("no host has 16GB of free memory (h1: 1GB of 32GB memory free)");
  }

  @Test
  void timesAreWrittenInTheConfiguredZoneWithTheDayWhenNotToday() {
    Scheduler scheduler = new Scheduler(new SchedulerOptions(ZoneId.of("Europe/Berlin")));
    ClusterSnapshot snapshot =
        snapshot(
            instance("h1").h100s(1).holding(holding("x", 1, 1, NOW.plus(Duration.ofDays(1)), 0)),
            instance("h2")
                .h100s(1)
                .holding(holding("y", 1, 1, NOW.plus(Duration.ofMinutes(5)), 0)));

    Plan plan =
        scheduler.plan(
            snapshot, List.of(run("r").gpu(gpu("H100", 1)).build()), NOW, new SplittableRandom(1));

    assertThat(waitingOf(plan, "r").reason())
        .isEqualTo(
            "no host has a free GPU matching H100:1"
                + " (h1: 1/1 GPUs busy until ~Jun 3 14:00; h2: 1/1 GPUs busy until ~14:05)");
  }
}
