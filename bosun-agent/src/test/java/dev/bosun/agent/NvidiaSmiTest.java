package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.model.host.GpuDevice;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {
  @Test
  void parsesTheCsvOfNvidiaSmi() {
    String csv =
        """
        0, GPU-aaaa, NVIDIA A100-SXM4-40GB, 40960, 535.104.05
        1, GPU-bbbb, Tesla T4, 15360, 535.104.05

        """;

    assertThat(NvidiaSmi.parse(csv))
        .containsExactly(
            new GpuDevice(0, "GPU-aaaa", "nvidia", "A100-SXM4-40GB", 40960, "535.104.05"),
            new GpuDevice(1, "GPU-bbbb", "nvidia", "Tesla T4", 15360, "535.104.05"));
    assertThat(NvidiaSmi.parse("")).isEmpty();
  }

  @Test
  void refusesWhatIsNotAGpuLine() {
    assertThatThrownBy(() -> NvidiaSmi.parse("No devices were found"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NvidiaSmi.parse("0, GPU-a, NVIDIA H100, [N/A], 550"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void archAndMemoryUseHostSpelling() {
    assertThat(HostDetector.arch("amd64")).isEqualTo("x86_64");
    assertThat(HostDetector.arch("aarch64")).isEqualTo("aarch64");
    assertThat(
            HostDetector.memTotalMb(
                java.util.List.of("MemFree: 1 kB", "MemTotal:       24576000 kB")))
        .isEqualTo(24000);
  }
}
