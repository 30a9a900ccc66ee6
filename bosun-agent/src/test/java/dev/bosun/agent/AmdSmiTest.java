package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.model.host.GpuDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AmdSmi} against JSON in the shapes of two amd-smi generations: {@code mi300x-*.json},
 * eight MI300X as newer amd-smi prints them ({@code static} wrapped in {@code gpu_data}, sizes as
 * {@code {"value", "unit"}}, {@code list} with KFD and partition ids), and {@code mi250x-*.json},
 * one MI250X (two GCDs) as older amd-smi of the ROCm 6.0 era prints it (top-level arrays, {@code
 * driver.driver_version}, {@code vram.vram_size_mb}). The samples are written from the amd-smi CLI
 * sources (ROCm/amdsmi {@code amdsmi_cli}), not captured from hardware; serials and UUIDs are made
 * up in amd-smi's format.
 *
 * <p>No AMD GPU is available where these tests run, so {@link
 * #detectRunsAmdSmiAndJoinsItsTwoAnswers} runs a fake {@code amd-smi}: a shell script that prints
 * the sample JSON for exactly the arguments {@link AmdSmi} passes and fails for any others. It
 * checks the command lines and the process handling, not a real amd-smi.
 */
class AmdSmiTest {
  @TempDir Path temp;

  private static final List<GpuDevice> MI300X = mi300x();

  @Test
  void parsesEightMi300xOfNewerAmdSmi() {
    assertThat(AmdSmi.parse(sample("mi300x-list.json"), sample("mi300x-static.json")))
        .isEqualTo(MI300X);
  }

  @Test
  void parsesAnMi250xOfTheAmdSmiOfRocm60() {
    assertThat(AmdSmi.parse(sample("mi250x-list.json"), sample("mi250x-static.json")))
        .containsExactly(
            new GpuDevice(
                0, "6aff740c-0000-1000-802f-0b8e41d3c957", "amd", "MI250X", 65520, "6.3.6"),
            new GpuDevice(
                1, "4dff740c-0000-1000-8093-e57a0c2b1f86", "amd", "MI250X", 65520, "6.3.6"));
  }

  @Test
  void skipsTheGroupWarningAmdSmiPrintsBeforeItsJson() {
    String warning =
        "WARNING: User is missing the following required groups: render, video."
            + " Please add user to these groups.\n";
    assertThat(
            AmdSmi.parse(
                warning + sample("mi300x-list.json"), warning + sample("mi300x-static.json")))
        .isEqualTo(MI300X);
  }

  @Test
  void readsOtherUnitsAndSkipsCpuEntries() {
    String list = "[{\"gpu\": 3, \"bdf\": \"0000:03:00.0\", \"uuid\": \"u-3\"}]";
    String staticJson =
        """
        {"cpu_data": [{"cpu": 0}], "gpu_data": [{"cpu": 0, "smu": "N/A"},
         {"gpu": 3, "asic": {"market_name": "AMD Radeon PRO W7900"},
          "driver": {"name": "amdgpu", "version": "N/A"},
          "vram": {"size": {"value": 48, "unit": "GB"}}}]}
        """;

    assertThat(AmdSmi.parse(list, staticJson))
        .containsExactly(new GpuDevice(3, "u-3", "amd", "Radeon PRO W7900", 49152, null));
    assertThat(AmdSmi.parse("[]", "[]")).isEmpty();
    assertThat(AmdSmi.parse("[]", "{\"gpu_data\": []}")).isEmpty();
  }

  @Test
  void stripsOnlyTheVendorFromTheMarketName() {
    assertThat(AmdSmi.modelName("AMD Instinct MI300X")).isEqualTo("MI300X");
    assertThat(AmdSmi.modelName("AMD INSTINCT MI210")).isEqualTo("MI210");
    assertThat(AmdSmi.modelName("AMD Radeon RX 7900 XTX")).isEqualTo("Radeon RX 7900 XTX");
    assertThat(AmdSmi.modelName("Instinct MI100")).isEqualTo("Instinct MI100");
  }

  @Test
  void refusesWhatIsNotAmdSmiJson() {
    String list = sample("mi250x-list.json");
    String staticJson = sample("mi250x-static.json");
    refuses("", staticJson);
    refuses("No AMD GPUs specified", staticJson);
    refuses("{\"gpu\": 0", staticJson);
    refuses(list, "{\"cpu_data\": []}");
    refuses(list, "[{\"gpu\": \"zero\"}]");
    refuses("[{\"gpu\": 0, \"bdf\": \"0000:c1:00.0\", \"uuid\": \"N/A\"}]", staticJson);
    refuses("[{\"gpu\": 0, \"uuid\": \"a\"}, {\"gpu\": 0, \"uuid\": \"b\"}]", staticJson);
    refuses("[{\"gpu\": 0, \"uuid\": \"a\"}]", staticJson); // GPU 1 is not listed
    refuses(list, staticJson.replace("\"AMD Instinct MI250X\"", "\"N/A\""));
    refuses(list, staticJson.replace("\"vram_size_mb\": 65520", "\"vram_size_mb\": \"N/A\""));
    refuses(list, staticJson.replace("\"vram_size_mb\"", "\"vram_total\""));
    String newer = sample("mi300x-static.json");
    refuses(sample("mi300x-list.json"), newer.replace("\"unit\": \"MB\"", "\"unit\": \"parsec\""));
  }

  @Test
  void detectRunsAmdSmiAndJoinsItsTwoAnswers() throws IOException {
    Files.writeString(temp.resolve("list.json"), sample("mi300x-list.json"));
    Files.writeString(temp.resolve("static.json"), sample("mi300x-static.json"));
    Path amdSmi =
        script(
            "amd-smi",
            "case \"$*\" in",
            "  'list --json') cat '" + temp.resolve("list.json") + "' ;;",
            "  'static --asic --vram --driver --json') cat '"
                + temp.resolve("static.json")
                + "' ;;",
            "  *) echo \"unexpected arguments: $*\" >&2; exit 2 ;;",
            "esac");

    assertThat(AmdSmi.detect(amdSmi)).isEqualTo(MI300X);
  }

  @Test
  void aFailingOrMissingAmdSmiMeansNoGpus() throws IOException {
    Path failing = script("failing", "echo 'AMDSMI_STATUS_DRIVER_NOT_LOADED' >&2", "exit 1");
    Path garbage = script("garbage", "echo 'not json'");

    assertThat(AmdSmi.detect(failing)).isEmpty();
    assertThat(AmdSmi.detect(garbage)).isEmpty();
    assertThat(AmdSmi.detect(temp.resolve("absent"))).isEmpty();
  }

  private static void refuses(String list, String staticJson) {
    assertThatThrownBy(() -> AmdSmi.parse(list, staticJson))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Path script(String name, String... lines) throws IOException {
    return GpuToolTest.script(temp, name, lines);
  }

  private static String sample(String name) {
    try (InputStream in = AmdSmiTest.class.getResourceAsStream("/amd-smi/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<GpuDevice> mi300x() {
    List<String> uuids =
        List.of(
            "9bff74a1-0000-1000-803e-4a51c2d07f18",
            "5dff74a1-0000-1000-8021-c7e0a94b3f62",
            "1eff74a1-0000-1000-808a-6f03b7d2c495",
            "c4ff74a1-0000-1000-807b-2e91d05a6f38",
            "3aff74a1-0000-1000-809d-5c17e8b24f06",
            "7fff74a1-0000-1000-800c-3b82a6e1d954",
            "e2ff74a1-0000-1000-8065-4d0f9b37a1c8",
            "48ff74a1-0000-1000-80b1-f6a2c3d9e705");
    return java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> new GpuDevice(i, uuids.get(i), "amd", "MI300X", 196592, "6.8.5"))
        .toList();
  }
}
