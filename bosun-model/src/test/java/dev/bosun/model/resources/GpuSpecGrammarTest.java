package dev.bosun.model.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpuSpecGrammarTest {
  private static final MemoryRange EXACTLY_80GB = new MemoryRange(Memory.ofGb(80), Memory.ofGb(80));

  @Test
  void readsNameMemoryAndCount() {
    assertThat(GpuSpec.parse("A100:80GB:8"))
        .isEqualTo(
            new GpuSpec(null, List.of("A100"), EXACTLY_80GB, IntRange.exactly(8), null, null));
  }

  @Test
  void readsMemoryRangeAndCountWithoutAName() {
    GpuSpec spec = GpuSpec.parse("24GB..:2");
    assertThat(spec.names()).isEmpty();
    assertThat(spec.memory()).isEqualTo(MemoryRange.atLeast(Memory.ofGb(24)));
    assertThat(spec.count()).isEqualTo(IntRange.exactly(2));
  }

  @Test
  void lowerCasesTheVendor() {
    assertThat(GpuSpec.parse("NVIDIA:1..8"))
        .isEqualTo(new GpuSpec("nvidia", List.of(), null, new IntRange(1, 8), null, null));
    assertThat(GpuSpec.parse("google:2").vendor()).isEqualTo("tpu");
  }

  @Test
  void aNameAloneAsksForAtLeastOneGpu() {
    assertThat(GpuSpec.parse("H100").count()).isEqualTo(IntRange.atLeast(1));
    assertThat(GpuSpec.parse("H100").wantsGpus()).isTrue();
  }

  @Test
  void aCountAloneIsTheCount() {
    assertThat(GpuSpec.parse("2"))
        .isEqualTo(new GpuSpec(null, List.of(), null, IntRange.exactly(2), null, null));
    assertThat(GpuSpec.parse("0").wantsGpus()).isFalse();
  }

  @Test
  void keepsTheCaseOfSeveralNames() {
    assertThat(GpuSpec.parse("h100,H200:8").names()).containsExactly("h100", "H200");
  }

  @Test
  void readsTokensInAnyOrderAndIgnoresSpaces() {
    GpuSpec expected = GpuSpec.parse("nvidia:A100:80GB:8");
    assertThat(GpuSpec.parse("8:80GB:A100:nvidia")).isEqualTo(expected);
    assertThat(GpuSpec.parse(" 80 GB : nvidia : A100 : 8 ")).isEqualTo(expected);
  }

  @Test
  void rejectsASecondNamesTokenNamingBothAndTheForms() {
    assertThatThrownBy(() -> GpuSpec.parse("H100:abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "invalid GPU spec 'H100:abc': it gives GPU names twice ('H100' and 'abc');"
                + " list several names in one token separated by commas, e.g. H100,H200:8.")
        .hasMessageContaining(
            "a vendor (nvidia, amd, tpu, intel), GPU names (A100 or H100,H200), per-GPU memory"
                + " (24GB..80GB) and a count (8 or 1..4), e.g. A100:80GB:8");
  }

  @Test
  void rejectsAnyKindGivenTwice() {
    assertThatThrownBy(() -> GpuSpec.parse("A100:2:4"))
        .hasMessageStartingWith(
            "invalid GPU spec 'A100:2:4': it gives the count twice ('2' and '4')");
    assertThatThrownBy(() -> GpuSpec.parse("80GB:40GB"))
        .hasMessageContaining("the per-GPU memory twice");
    assertThatThrownBy(() -> GpuSpec.parse("nvidia:AMD")).hasMessageContaining("the vendor twice");
  }

  @Test
  void rejectsBadTokensSayingWhichOne() {
    assertThatThrownBy(() -> GpuSpec.parse("A100:80XB"))
        .hasMessageStartingWith(
            "invalid GPU spec 'A100:80XB': '80XB' is not a valid per-GPU memory");
    assertThatThrownBy(() -> GpuSpec.parse("A100:8..2"))
        .hasMessage(
            "invalid GPU spec 'A100:8..2': '8..2' is not a valid GPU count: the minimum 8 is above the maximum 2");
    assertThatThrownBy(() -> GpuSpec.parse("A100::2"))
        .hasMessageContaining("it has an empty token");
    assertThatThrownBy(() -> GpuSpec.parse("A100,,H100"))
        .hasMessageContaining("contain an empty name");
    assertThatThrownBy(() -> GpuSpec.parse("A100,nvidia"))
        .hasMessageContaining("'nvidia' is a GPU vendor, not a GPU name");
    assertThatThrownBy(() -> GpuSpec.parse("A100.80"))
        .hasMessageContaining("'A100.80' is not a valid GPU name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ":", "A100:", ":8"})
  void rejectsEmptySpecsAndTokens(String text) {
    assertThatThrownBy(() -> GpuSpec.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid GPU spec '" + text + "'");
  }

  @Test
  void checksSingleNamesAndVendorsForTheMappingForm() {
    assertThat(ResourceGrammar.parseGpuName("RTX4090")).isEqualTo("RTX4090");
    assertThat(ResourceGrammar.parseGpuVendor("AMD")).isEqualTo("amd");
    assertThatThrownBy(() -> ResourceGrammar.parseGpuVendor("ati"))
        .hasMessage("invalid GPU vendor 'ati': expected one of nvidia, amd, tpu, intel");
    assertThatThrownBy(() -> ResourceGrammar.parseGpuName("4090"))
        .hasMessageStartingWith("invalid GPU name '4090': a GPU name starts with a letter");
  }
}
