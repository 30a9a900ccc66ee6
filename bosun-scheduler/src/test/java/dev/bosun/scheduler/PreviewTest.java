package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static dev.bosun.scheduler.Fixtures.gpu;
import static dev.bosun.scheduler.Fixtures.holding;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.ResourcesSpec;
import dev.bosun.model.state.InstanceStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewTest {
  private final Scheduler scheduler = new Scheduler();

  @Test
  void showsTheInstanceAndAllocationItWouldGetNow() {
    ClusterSnapshot snapshot = snapshot(instance("laptop"), instance("rack-1").h100s(4));

    Preview preview = scheduler.preview(snapshot, gpus("H100", 2), List.of());

    assertThat(preview.placement())
        .hasValueSatisfying(
            placement -> {
              assertThat(placement.instanceId()).isEqualTo("id-rack-1");
              assertThat(placement.gpuIndices()).containsExactly(0, 1);
              assertThat(placement.cpus()).isEqualTo(2);
            });
    assertThat(preview.hosts())
        .containsExactly(
            new HostReport("id-laptop", "laptop", "default", HostFit.NEVER_FITS, "no GPUs"),
            new HostReport("id-rack-1", "rack-1", "default", HostFit.FITS_NOW, ""));
  }

  @Test
  void explainsEveryHostWhenItWouldWait() {
    ClusterSnapshot snapshot =
        snapshot(
            instance("rack-1")
                .h100s(2)
                .holding(holding("x", 4, 16, NOW.plus(Duration.ofHours(1)), 0, 1)),
            instance("rack-2").status(InstanceStatus.PROVISIONING));

    Preview preview = scheduler.preview(snapshot, gpus("H100", 1), List.of(), NOW);

    assertThat(preview.outcome())
        .isInstanceOfSatisfying(
            Waiting.class,
            waiting -> {
              assertThat(waiting.estimatedStart()).isEqualTo(NOW.plus(Duration.ofHours(1)));
              assertThat(waiting.runId()).isEqualTo(Preview.RUN_ID);
            });
    assertThat(preview.placement()).isEmpty();
    assertThat(preview.hosts())
        .extracting(HostReport::fit, HostReport::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                HostFit.BUSY, "2/2 GPUs busy (needs 1) until ~13:00 UTC"),
            org.assertj.core.groups.Tuple.tuple(HostFit.NOT_ELIGIBLE, "provisioning"));
  }

  @Test
  void saysWhenItWouldNeverFit() {
    ResourcesSpec sixteenCpus =
        new ResourcesSpec(new CpuSpec(null, IntRange.atLeast(16)), null, null, null, null);

    Preview preview =
        scheduler.preview(snapshot(instance("local").cpus(2)), sixteenCpus, List.of());

    assertThat(preview.outcome())
        .isEqualTo(
            new Unplaceable(
                Preview.RUN_ID, "needs 16 CPUs; no host has that many (local: 2 CPUs in total)"));
    assertThat(preview.hosts().getFirst().reason()).isEqualTo("2 CPUs in total (needs 16)");
  }

  @Test
  void previewDoesNotChangeTheSnapshot() {
    ClusterSnapshot snapshot = snapshot(instance("rack-1").h100s(1));

    Preview first = scheduler.preview(snapshot, gpus("H100", 1), List.of());
    Preview second = scheduler.preview(snapshot, gpus("H100", 1), List.of());

    assertThat(second).isEqualTo(first);
    assertThat(snapshot.instances().getFirst().allocations()).isEmpty();
  }

  private static ResourcesSpec gpus(String name, int count) {
    return new ResourcesSpec(null, null, null, null, gpu(name, count));
  }
}
