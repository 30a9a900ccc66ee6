package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.model.host.GpuDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GpuTool} with stand-in scripts for the vendor tools; no GPU is needed. The {@code
 * nvidia-smi} stand-in prints a recorded answer for exactly the query {@link NvidiaSmi} sends.
 */
class GpuToolTest {
  @TempDir Path temp;

  @Test
  void nvidiaSmiIsRunWithItsQuery() throws IOException {
    Path nvidiaSmi =
        script(
            "nvidia-smi",
            "[ \"$*\" = '" + String.join(" ", NvidiaSmi.QUERY) + "' ] || exit 9",
            "echo '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559, 550.54.15, 9.0'");

    assertThat(NvidiaSmi.detect(nvidiaSmi))
        .containsExactly(
            new GpuDevice(0, "GPU-aaaa", "nvidia", "H100 80GB HBM3", 81559, "550.54.15", "9.0"));
  }

  @Test
  void aDriverThatDoesNotKnowComputeCapIsAskedWithoutIt() throws IOException {
    // What drivers before 510 answer to a field they do not know.
    Path nvidiaSmi =
        script(
            "nvidia-smi",
            "case \"$*\" in *compute_cap*) echo 'Field \"compute_cap\" is not a valid field to"
                + " query.'; exit 2 ;; esac",
            "[ \"$*\" = '" + String.join(" ", NvidiaSmi.OLD_DRIVER_QUERY) + "' ] || exit 9",
            "echo '0, GPU-bbbb, Tesla T4, 15360, 470.82.01'");

    assertThat(NvidiaSmi.detect(nvidiaSmi))
        .containsExactly(new GpuDevice(0, "GPU-bbbb", "nvidia", "Tesla T4", 15360, "470.82.01"));
  }

  @Test
  void returnsStandardOutputAloneAndSaysWhyItFailed() throws IOException {
    Path noisy = script("noisy", "echo 'a warning' >&2", "echo answer");
    Path failing = script("failing", "echo 'the reason' >&2", "exit 3");
    Path silent = script("silent", "echo 'the reason on stdout'", "exit 4");

    assertThat(GpuTool.run(noisy, List.of())).isEqualTo("answer\n");
    assertThatThrownBy(() -> GpuTool.run(failing, List.of()))
        .isInstanceOf(IOException.class)
        .hasMessage("exited with status 3: the reason");
    assertThatThrownBy(() -> GpuTool.run(silent, List.of()))
        .hasMessage("exited with status 4: the reason on stdout");
    assertThatThrownBy(() -> GpuTool.run(temp.resolve("absent"), List.of()))
        .hasMessageStartingWith("cannot be run: ");
  }

  @Test
  void anyFailureMeansNoGpus() throws IOException {
    Path failing = script("failing", "exit 1");

    assertThat(NvidiaSmi.detect(failing)).isEmpty();
    assertThat(
            GpuTool.detect(
                failing,
                "TEST",
                tool -> {
                  throw new IllegalArgumentException("no such line");
                }))
        .isEmpty();
  }

  private Path script(String name, String... lines) throws IOException {
    return script(temp, name, lines);
  }

  /** An executable shell script called {@code name} in {@code directory}. */
  static Path script(Path directory, String name, String... lines) throws IOException {
    Path script = directory.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}
