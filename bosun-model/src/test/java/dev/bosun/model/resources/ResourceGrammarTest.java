package dev.bosun.model.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceGrammarTest {
  @ParameterizedTest
  @CsvSource({
    "512MB, 512",
    "16GB, 16384",
    "1.5TB, 1572864",
    "16, 16384",
    "0.5, 512",
    "16 gb, 16384",
    "2tb, 2097152",
    "'  8Gb ', 8192",
    ".25, 256",
    "0, 0"
  })
  void readsMemoryInBinaryUnitsWithBareNumbersAsGigabytes(String text, long mb) {
    assertThat(Memory.parse(text)).isEqualTo(Memory.ofMb(mb));
  }

  @Test
  void rejectsUnknownMemoryUnitsSayingWhatIsAllowed() {
    assertThatThrownBy(() -> Memory.parse("8XB"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid memory '8XB': expected a number with unit MB, GB or TB (e.g. 16GB)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "GB", "1e3", "16GiB", "1.2.3GB", "16 G B", "NaN"})
  void rejectsMalformedMemory(String text) {
    assertThatThrownBy(() -> Memory.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "invalid memory '" + text + "': expected a number with unit MB, GB or TB");
  }

  @Test
  void rejectsMemoryTooLargeToCount() {
    assertThatThrownBy(() -> Memory.parse("99999999999999999TB"))
        .hasMessage("invalid memory '99999999999999999TB': the amount is too large");
  }

  @Test
  void readsMemoryRangesWithOpenBounds() {
    assertThat(MemoryRange.parse("16GB"))
        .isEqualTo(new MemoryRange(Memory.ofGb(16), Memory.ofGb(16)));
    assertThat(MemoryRange.parse("16GB..")).isEqualTo(MemoryRange.atLeast(Memory.ofGb(16)));
    assertThat(MemoryRange.parse("..80GB")).isEqualTo(new MemoryRange(null, Memory.ofGb(80)));
    assertThat(MemoryRange.parse("16GB..80GB"))
        .isEqualTo(new MemoryRange(Memory.ofGb(16), Memory.ofGb(80)));
    assertThat(MemoryRange.parse("16..80"))
        .isEqualTo(new MemoryRange(Memory.ofGb(16), Memory.ofGb(80)));
    assertThat(MemoryRange.parse("512MB .. 1TB"))
        .isEqualTo(new MemoryRange(Memory.ofMb(512), Memory.ofGb(1024)));
  }

  @Test
  void rejectsMemoryRangesThatAreBackwardsOrMalformed() {
    assertThatThrownBy(() -> MemoryRange.parse("80GB..16GB"))
        .hasMessage(
            "invalid memory range '80GB..16GB': the minimum 80GB is above the maximum 16GB");
    assertThatThrownBy(() -> MemoryRange.parse("16GB..."))
        .hasMessageStartingWith("invalid memory range '16GB...'");
    assertThatThrownBy(() -> MemoryRange.parse("16XB.."))
        .hasMessageContaining(
            "expected a number with unit MB, GB or TB (e.g. 16GB), or a range of them");
  }

  @Test
  void readsIntegerRanges() {
    assertThat(IntRange.parse("8")).isEqualTo(IntRange.exactly(8));
    assertThat(IntRange.parse("2..8")).isEqualTo(new IntRange(2, 8));
    assertThat(IntRange.parse("2..")).isEqualTo(IntRange.atLeast(2));
    assertThat(IntRange.parse("..8")).isEqualTo(new IntRange(null, 8));
    assertThat(IntRange.parse(" 1 .. 4 ")).isEqualTo(new IntRange(1, 4));
  }

  @Test
  void rejectsNegativeBackwardsAndHugeIntegerRanges() {
    assertThatThrownBy(() -> IntRange.parse("-1"))
        .hasMessage(
            "invalid range '-1': expected a whole number of at least 0, or a range such as 8, 2..8, 2.. or ..8");
    assertThatThrownBy(() -> IntRange.parse("8..2"))
        .hasMessage("invalid range '8..2': the minimum 8 is above the maximum 2");
    assertThatThrownBy(() -> IntRange.parse("99999999999"))
        .hasMessage("invalid range '99999999999': 99999999999 is too large");
    assertThatThrownBy(() -> IntRange.parse("1.5")).hasMessageStartingWith("invalid range '1.5'");
  }

  @Test
  void readsCpuSpecsWithTheArchitectureOnEitherSide() {
    assertThat(CpuSpec.parse("16..")).isEqualTo(new CpuSpec(null, IntRange.atLeast(16)));
    assertThat(CpuSpec.parse("8")).isEqualTo(new CpuSpec(null, IntRange.exactly(8)));
    assertThat(CpuSpec.parse("arm:8")).isEqualTo(new CpuSpec("arm", IntRange.exactly(8)));
    assertThat(CpuSpec.parse("x86:4..8")).isEqualTo(new CpuSpec("x86", new IntRange(4, 8)));
    assertThat(CpuSpec.parse("4..8:X86")).isEqualTo(new CpuSpec("x86", new IntRange(4, 8)));
    assertThat(CpuSpec.parse("aarch64:2")).isEqualTo(new CpuSpec("arm", IntRange.exactly(2)));
  }

  @Test
  void anArchitectureAloneAsksForTheDefaultCount() {
    assertThat(CpuSpec.parse("arm"))
        .isEqualTo(new CpuSpec("arm", ResourcesSpec.DEFAULT_CPU.count()));
  }

  @Test
  void rejectsBadCpuSpecsNamingTheForms() {
    assertThatThrownBy(() -> CpuSpec.parse("sparc:8"))
        .hasMessageStartingWith(
            "invalid CPU spec 'sparc:8': 'sparc' is not a CPU architecture (x86 or arm)")
        .hasMessageContaining("e.g. 16.., 8, arm:8 or x86:4..8");
    assertThatThrownBy(() -> CpuSpec.parse("arm:x86"))
        .hasMessageContaining("the architecture is given twice");
    assertThatThrownBy(() -> CpuSpec.parse("2:4")).hasMessageContaining("the count is given twice");
    assertThatThrownBy(() -> CpuSpec.parse("arm:8:x")).hasMessageContaining("it has 3 parts");
    assertThatThrownBy(() -> CpuSpec.parse("arm:8..2"))
        .hasMessage("invalid CPU spec 'arm:8..2': the minimum 8 is above the maximum 2");
  }

  @Test
  void readsComputeCapabilitiesAsMajorDotMinor() {
    assertThat(ResourceGrammar.parseComputeCapability("8.0")).isEqualTo("8.0");
    assertThat(ResourceGrammar.parseComputeCapability("8")).isEqualTo("8.0");
    assertThat(ResourceGrammar.parseComputeCapability(" 7.5 ")).isEqualTo("7.5");
    assertThatThrownBy(() -> ResourceGrammar.parseComputeCapability("eight"))
        .hasMessage("invalid compute capability 'eight': expected major.minor, e.g. 8.0 or 7.5");
  }
}
