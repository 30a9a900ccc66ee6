package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.anyGpu;
import static dev.bosun.scheduler.Fixtures.instance;
import static dev.bosun.scheduler.Fixtures.placementOf;
import static dev.bosun.scheduler.Fixtures.plan;
import static dev.bosun.scheduler.Fixtures.run;
import static dev.bosun.scheduler.Fixtures.snapshot;
import static dev.bosun.scheduler.Fixtures.unplaceableOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.host.ContainerRuntime;
import org.junit.jupiter.api.Test;

/** Runs in containers go only to hosts whose Docker can run them, and pass GPUs when they need. */
class ContainerPlacementTest {
  private static final ContainerRuntime DOCKER = new ContainerRuntime("24.0.7", false, null);
  private static final ContainerRuntime DOCKER_WITH_GPUS =
      new ContainerRuntime("24.0.7", true, null);
  private static final ContainerRuntime NO_TOOLKIT =
      new ContainerRuntime(
          "24.0.7", false, "Docker has no nvidia runtime: install the NVIDIA Container Toolkit");

  @Test
  void aContainerRunSkipsHostsWithoutDockerAndAProcessRunDoesNot() {
    var hosts = snapshot(instance("bare").cpus(64), instance("docker").cpus(8).containers(DOCKER));
    Plan plan = plan(hosts, run("in-image").cpus(4).inContainers(), run("process").cpus(40));
    assertThat(placementOf(plan, "in-image").instanceId()).isEqualTo("id-docker");
    assertThat(placementOf(plan, "process").instanceId()).isEqualTo("id-bare");
  }

  @Test
  void aGpuContainerRunNeedsADockerThatPassesGpus() {
    var hosts =
        snapshot(
            instance("no-toolkit").h100s(8).containers(NO_TOOLKIT),
            instance("toolkit").h100s(2).containers(DOCKER_WITH_GPUS));
    Plan plan = plan(hosts, run("train").gpu(anyGpu(2)).inContainers());
    assertThat(placementOf(plan, "train").instanceId()).isEqualTo("id-toolkit");
    assertThat(placementOf(plan, "train").gpuIndices()).containsExactly(0, 1);
  }

  @Test
  void aContainerRunThatFitsNoDockerHostIsRefusedWithWhatToInstall() {
    var hosts =
        snapshot(
            instance("no-toolkit").h100s(8).containers(NO_TOOLKIT),
            instance("old-agent").h100s(8),
            instance("no-docker")
                .h100s(8)
                .containers(ContainerRuntime.unavailable("Docker is not installed")));
    Plan plan = plan(hosts, run("train").gpu(anyGpu(1)).inContainers());
    assertThat(unplaceableOf(plan, "train").reason())
        .contains("install the NVIDIA Container Toolkit")
        .contains("Docker is not installed")
        .contains("update it");
  }

  @Test
  void anShmSizeLargerThanEveryHostsMemoryIsRefusedWithTheSizes() {
    var hosts = snapshot(instance("small").memoryGb(16).containers(DOCKER));
    var run = run("shm").inContainers();
    Plan plan =
        Fixtures.plan(
            hosts,
            run.memory(
                    dev.bosun.model.resources.MemoryRange.atLeast(
                        dev.bosun.model.resources.Memory.ofGb(1)))
                .shm(dev.bosun.model.resources.Memory.ofGb(64)));
    assertThat(unplaceableOf(plan, "shm").reason())
        .contains("small: 16GB of memory, less than shm_size 64GB");
  }
}
