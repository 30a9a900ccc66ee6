package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.agent.docker.ContainerInfo;
import dev.bosun.agent.docker.ContainerSpec;
import dev.bosun.agent.docker.DockerClient;
import dev.bosun.agent.docker.TestDockerd;
import dev.bosun.api.agent.JobContainer;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.model.host.GpuDevice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Docker is asked to create for a job, checked by creating the container on a real dockerd and
 * inspecting it (no GPU here: a GPU container is created, never started, so the device request is
 * read back exactly as Docker stored it).
 */
class ContainerSpecsTest {
  private static final String IMAGE = "bosun-test/busybox:1";
  private static TestDockerd dockerd;

  @TempDir Path temp;

  @BeforeAll
  static void startDocker() {
    dockerd = TestDockerd.start();
  }

  @AfterAll
  static void stopDocker() {
    if (dockerd != null) {
      dockerd.close();
    }
  }

  private static final List<GpuDevice> HOST_GPUS =
      List.of(
          new GpuDevice(0, "GPU-aaaa", "nvidia", "H100", 81559, "550"),
          new GpuDevice(1, "GPU-bbbb", "nvidia", "H100", 81559, "550"),
          new GpuDevice(2, "GPU-cccc", "nvidia", "H100", 81559, "550"),
          new GpuDevice(3, "GPU-dddd", "nvidia", "H100", 81559, "550"));

  private JobSpec job(List<Integer> gpus, List<String> uuids, boolean hostNetwork) {
    return new JobSpec(
        "gpu-job",
        "train",
        List.of("nvidia-smi"),
        null,
        java.util.Map.of("CUDA_VISIBLE_DEVICES", "1,3"),
        null,
        gpus,
        uuids,
        2,
        2048,
        null,
        5,
        null,
        new JobContainer(
            IMAGE,
            null,
            null,
            false,
            null,
            null,
            List.of(),
            1024L,
            hostNetwork,
            List.of(),
            60,
            java.util.Map.of("dev.bosun.generation", "2")));
  }

  @Test
  void aTwoGpuJobAsksForExactlyItsTwoGpusByUuidWithItsLimits() throws Exception {
    ContainerSpec spec =
        ContainerSpecs.of(
            job(List.of(1, 3), List.of("GPU-bbbb", "GPU-dddd"), true),
            new JobDirectory(temp.resolve("gpu-job")),
            HOST_GPUS,
            "bridge");
    DockerClient docker = dockerd.client();
    String id = docker.createContainer(spec);
    try {
      ContainerInfo info = docker.inspectContainer(id);
      assertThat(info.deviceRequests()).hasSize(1);
      ContainerSpec.DeviceRequest request = info.deviceRequests().getFirst();
      assertThat(request.driver()).isEqualTo("nvidia");
      assertThat(request.deviceIds()).containsExactly("GPU-bbbb", "GPU-dddd");
      assertThat(request.capabilities()).containsExactly(List.of("gpu"));
      assertThat(info.nanoCpus()).isEqualTo(2_000_000_000L);
      assertThat(info.memoryBytes()).isEqualTo(2048L * 1024 * 1024);
      assertThat(info.shmSizeBytes()).isEqualTo(1024L * 1024 * 1024);
      assertThat(info.networkMode()).isEqualTo("host");
      assertThat(info.labels())
          .containsEntry(ContainerJobs.LABEL_JOB, "gpu-job")
          .containsEntry(ContainerJobs.LABEL_RUN, "train")
          .containsEntry("dev.bosun.generation", "2");
    } finally {
      docker.removeContainer(id);
    }
    assertThat(spec.env())
        .as("host GPU numbers stay out; the toolkit sees the job's GPUs by UUID")
        .doesNotContainKey("CUDA_VISIBLE_DEVICES")
        .containsEntry("NVIDIA_VISIBLE_DEVICES", "GPU-bbbb,GPU-dddd");
  }

  @Test
  void aJobWithoutGpusGetsNoneEvenFromAnImageThatAsksForAll() throws Exception {
    ContainerSpec spec =
        ContainerSpecs.of(
            job(List.of(), List.of(), false),
            new JobDirectory(temp.resolve("cpu")),
            HOST_GPUS,
            "bridge");
    assertThat(spec.deviceRequests()).isEmpty();
    assertThat(spec.env()).containsEntry("NVIDIA_VISIBLE_DEVICES", "void");
    assertThat(spec.networkMode()).isEqualTo("bridge");
  }
}
