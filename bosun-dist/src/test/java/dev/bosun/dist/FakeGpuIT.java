package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPU placement on a host with two GPUs. There is no GPU on the test machines, so this is the one
 * fake: an {@code nvidia-smi} stand-in on the PATH that prints the real query output format of two
 * H100s.
 */
class FakeGpuIT {
  private BosunHarness bosun;

  @BeforeEach
  void start() throws Exception {
    bosun = new BosunHarness();
    Path bin = Files.createDirectories(bosun.work.resolve("fake-bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(
        smi,
        """
        #!/bin/sh
        # Stand-in for nvidia-smi: answers the agent's query in the real CSV format.
        cat <<'OUT'
        0, GPU-8f7e2a6c-1b3d-4e5f-9a0b-1c2d3e4f5a6b, NVIDIA H100 80GB HBM3, 81559, 550.54.15
        1, GPU-2a3b4c5d-6e7f-8a9b-0c1d-2e3f4a5b6c7d, NVIDIA H100 80GB HBM3, 81559, 550.54.15
        OUT
        """);
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    bosun.withPathPrefix(bin);
  }

  @AfterEach
  void stop() throws Exception {
    bosun.close();
  }

  @Test
  void twoOneGpuRunsGetDifferentGpus() throws Exception {
    Set<String> seen = new HashSet<>();
    for (String name : new String[] {"gpu-a", "gpu-b"}) {
      Path file =
          bosun.file(
              name + ".bosun.yml",
              """
          type: task
          name: %s
          resources:
            cpu: 1
            memory: 1GB
            gpu: H100:1
          commands:
            - echo "cuda=$CUDA_VISIBLE_DEVICES nvidia=$NVIDIA_VISIBLE_DEVICES gpus=$BOSUN_GPUS_NUM"
            - sleep 15
          """
                  .formatted(name));
      BosunHarness.Result result = bosun.run("apply", "-y", "-d", "-f", file.toString());
      assertThat(result.code()).as(result.toString()).isZero();
    }
    for (String name : new String[] {"gpu-a", "gpu-b"}) {
      RunInfo running =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> bosun.client().run("main", name), info -> info.status().equals("running"));
      assertThat(running.jobs().getFirst().gpus()).hasSize(1);
      String line =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> bosun.run("logs", name).out(), out -> out.contains("cuda="));
      assertThat(line).contains("gpus=1");
      seen.add(line.substring(line.indexOf("cuda=")).split(" ")[0]);
    }
    assertThat(seen).containsExactlyInAnyOrder("cuda=0", "cuda=1");
    BosunHarness.Result fleet = bosun.run("fleet");
    assertThat(fleet.out()).contains("2×H100 80GB HBM3").contains("2/2 GPUs");

    Path third =
        bosun.file(
            "gpu-c.bosun.yml",
            "type: task\nname: gpu-c\nresources:\n  cpu: 1\n  memory: 1GB\n  gpu: 1\ncommands: [nvidia-smi]\n");
    assertThat(bosun.run("apply", "-y", "-d", "-f", third.toString()).code()).isZero();
    RunInfo waiting =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> bosun.client().run("main", "gpu-c"), info -> info.status().equals("pending"));
    assertThat(waiting.reasonText()).containsIgnoringCase("gpu");
  }
}
