package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.gpu;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.placementOf;
import static dev.bosun.scheduler.Fixtures.plan;
import static dev.bosun.scheduler.Fixtures.run;
import static dev.bosun.scheduler.Fixtures.snapshot;
import static dev.bosun.scheduler.Fixtures.unplaceableOf;
import static dev.bosun.scheduler.Fixtures.waitingOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuMatchingTest {
  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "A100, A100-SXM4-80GB, true",
    "A100, A100 80GB PCIe, true",
    "a100, NVIDIA A100-SXM4-40GB, true",
    "H100, H100 80GB HBM3, true",
    "A10, A100-SXM4-80GB, false",
    "A10, A10G, false",
    "A10G, A10G, true",
    "A10, A10, true",
    "L40, L40S, false",
    "RTX4090, GeForce RTX 4090, true",
    "RTX 4090, NVIDIA GeForce RTX 4090, true",
    "4090, GeForce RTX 4090, true",
    "A6000, RTX A6000, true",
    "T4, Tesla T4, true",
    "H100, H1000, false",
    "MI300X, Instinct MI300X, true",
  })
  void requestedNameMatchesWholeTokensOfTheDeviceName(
      String requested, String device, boolean matches) {
    assertThat(GpuModelName.of(device).matches(GpuModelName.normalizeRequested(requested)))
        .isEqualTo(matches);
  }

  @Test
  void a10DoesNotMatchA100() {
    Plan onlyA100 =
        plan(
            snapshot(instance("h1").gpus(8, "A100-SXM4-80GB", 81920)), run("r").gpu(gpu("A10", 1)));
    Plan both =
        plan(
            snapshot(
                instance("a100-box").gpus(8, "A100-SXM4-80GB", 81920),
                instance("a10-box").gpus(1, "A10", 24576)),
            run("r").gpu(gpu("A10", 1)));

    assertThat(unplaceableOf(onlyA100, "r").reason())
        .isEqualTo("no host has a GPU matching A10:1 (h1: no A10)");
    assertThat(placementOf(both, "r").instanceId()).isEqualTo("id-a10-box");
  }

  @Test
  void anyOfSeveralNamesMatches() {
    GpuSpec h100OrH200 =
        new GpuSpec(null, List.of("H100", "H200"), null, IntRange.exactly(1), null, null);

    Plan plan = plan(snapshot(instance("h1").gpus(1, "H200", 143771)), run("r").gpu(h100OrH200));

    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(0);
  }

  @Test
  void onlyMatchingGpusOfAMixedHostAreChosen() {
    Plan plan =
        plan(
            snapshot(instance("mixed").gpus(2, "A10G", 23028).gpus(2, "L4", 23034)),
            run("r").gpu(gpu("L4", 2)));

    assertThat(placementOf(plan, "r").gpuIndices()).containsExactly(2, 3);
  }

  @Test
  void vendorMatchesIgnoringCase() {
    GpuSpec amd = new GpuSpec("amd", List.of(), null, IntRange.exactly(1), null, null);

    Plan plan =
        plan(
            snapshot(
                instance("nv").h100s(1), instance("amd").gpus(1, "AMD", "Instinct MI300X", 196608)),
            run("r").gpu(amd));

    assertThat(placementOf(plan, "r").instanceId()).isEqualTo("id-amd");
  }

  @Test
  void perGpuMemoryAllowsWhatDriversReport() {
    GpuSpec eighty =
        new GpuSpec(
            null,
            List.of(),
            new MemoryRange(Memory.ofGb(80), Memory.ofGb(80)),
            IntRange.exactly(1),
            null,
            null);
    GpuSpec sixteen =
        new GpuSpec(
            null, List.of(), MemoryRange.atLeast(Memory.ofGb(16)), IntRange.exactly(1), null, null);

    Plan plan =
        plan(
            snapshot(instance("h100").h100s(1), instance("t4").gpus(1, "Tesla T4", 15360)),
            run("eighty").gpu(eighty),
            run("sixteen").gpu(sixteen).submittedMinutesAgo(1));

    assertThat(placementOf(plan, "eighty").instanceId()).isEqualTo("id-h100");
    assertThat(placementOf(plan, "sixteen").instanceId()).isEqualTo("id-t4");
  }

  @Test
  void perGpuMemoryRangeExcludesOtherSizes() {
    GpuSpec forty =
        new GpuSpec(
            null,
            List.of(),
            new MemoryRange(Memory.ofGb(40), Memory.ofGb(40)),
            IntRange.exactly(1),
            null,
            null);

    Plan plan = plan(snapshot(instance("h1").h100s(1)), run("r").gpu(forty));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo("no host has a GPU matching 40GB:1 (h1: no GPU matching 40GB)");
  }

  @Test
  void gpuRunOnHostWithoutGpus() {
    Plan plan = plan(snapshot(instance("laptop")), run("r").gpu(gpu("H100", 1)));

    assertThat(unplaceableOf(plan, "r").reason())
        .isEqualTo("no host has a GPU matching H100:1 (laptop: no GPUs)");
  }

  @Test
  void computeCapabilityIsALeastVersionAndUnknownDoesNotCount() {
    GpuSpec hopper = new GpuSpec(null, List.of(), null, IntRange.exactly(1), null, "9.0");
    GpuSpec ampere = new GpuSpec(null, List.of(), null, IntRange.exactly(1), null, "8.6");

    Plan plan =
        plan(
            snapshot(
                instance("a100").gpusWithComputeCapability(1, "A100-SXM4-80GB", "8.0"),
                instance("old").gpus(1, "H100 80GB HBM3", 81559),
                instance("h100").gpusWithComputeCapability(1, "H100 80GB HBM3", "9.0")),
            run("hopper").gpu(hopper).submittedMinutesAgo(2),
            run("ampere").gpu(ampere).submittedMinutesAgo(1));

    assertThat(placementOf(plan, "hopper").instanceId()).isEqualTo("id-h100");
    assertThat(waitingOf(plan, "ampere").reason())
        .as("8.6 or newer: only the H100 (9.0), which is taken; the A100 is 8.0, 'old' unknown")
        .contains("compute capability 8.6+");
  }
}
