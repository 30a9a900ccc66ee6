package dev.bosun.model.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The grammar reads back what the records write, whatever the values; GPU tokens may come in any
 * order.
 */
class ResourceGrammarPropertiesTest {
  @Property
  void memoryRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long mb) {
    Memory memory = Memory.ofMb(mb);
    assertThat(Memory.parse(memory.toString())).isEqualTo(memory);
  }

  @Property
  void memoryRangesRoundTrip(@ForAll("memoryRanges") MemoryRange range) {
    assertThat(MemoryRange.parse(range.toString())).isEqualTo(range);
  }

  @Property
  void intRangesRoundTrip(@ForAll("intRanges") IntRange range) {
    assertThat(IntRange.parse(range.toString())).isEqualTo(range);
  }

  @Property
  void cpuSpecsRoundTrip(@ForAll("cpuSpecs") CpuSpec spec) {
    assertThat(CpuSpec.parse(spec.toString())).isEqualTo(spec);
  }

  @Property
  void gpuSpecsRoundTrip(@ForAll("gpuSpecs") GpuSpec spec) {
    assertThat(GpuSpec.parse(spec.toString())).isEqualTo(spec);
  }

  @Property
  void gpuTokenOrderDoesNotMatter(@ForAll("gpuSpecs") GpuSpec spec, @ForAll long seed) {
    List<String> tokens = new ArrayList<>(Arrays.asList(spec.toString().split(":")));
    Collections.shuffle(tokens, new Random(seed));
    assertThat(GpuSpec.parse(String.join(":", tokens))).isEqualTo(spec);
  }

  @Property
  void gpuVendorsAndMemoryUnitsIgnoreCase(@ForAll("gpuSpecs") GpuSpec spec) {
    // Names keep their case, so only the vendor (written lower-case) and memory units (upper-case)
    // change.
    String recased =
        Arrays.stream(spec.toString().split(":"))
            .map(
                token ->
                    token.equals(spec.vendor())
                        ? token.toUpperCase(Locale.ROOT)
                        : spec.memory() != null && token.equals(spec.memory().toString())
                            ? token.toLowerCase(Locale.ROOT)
                            : token)
            .reduce((a, b) -> a + ":" + b)
            .orElseThrow();
    assertThat(GpuSpec.parse(recased)).isEqualTo(spec);
  }

  @Provide
  Arbitrary<Memory> memories() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 1L << 40).map(Memory::ofMb),
        Arbitraries.longs().between(0, 4096).map(gb -> Memory.ofMb(gb * 1024)),
        Arbitraries.longs().between(1, 64).map(tb -> Memory.ofMb(tb * 1024 * 1024)));
  }

  @Provide
  Arbitrary<MemoryRange> memoryRanges() {
    Arbitrary<Memory> bound = memories().injectNull(0.3);
    return Combinators.combine(bound, bound)
        .as(
            (a, b) -> {
              if (a != null && b != null && a.compareTo(b) > 0) {
                return new MemoryRange(b, a);
              }
              return new MemoryRange(a, b);
            });
  }

  @Provide
  Arbitrary<IntRange> intRanges() {
    Arbitrary<Integer> bound =
        Arbitraries.oneOf(
                Arbitraries.integers().between(0, 16),
                Arbitraries.integers().between(0, Integer.MAX_VALUE))
            .injectNull(0.3);
    return Combinators.combine(bound, bound)
        .as((a, b) -> a != null && b != null && a > b ? new IntRange(b, a) : new IntRange(a, b));
  }

  @Provide
  Arbitrary<CpuSpec> cpuSpecs() {
    return Combinators.combine(Arbitraries.of("x86", "arm").injectNull(0.4), intRanges())
        .as(CpuSpec::new);
  }

  @Provide
  Arbitrary<GpuSpec> gpuSpecs() {
    Arbitrary<String> vendor = Arbitraries.of("nvidia", "amd", "tpu", "intel").injectNull(0.5);
    Arbitrary<String> name =
        Combinators.combine(
                Arbitraries.chars().alpha(),
                Arbitraries.strings().withChars("abcXYZ0123456789-_").ofMaxLength(10))
            .as((first, rest) -> first + rest)
            .filter(
                candidate ->
                    !List.of("nvidia", "amd", "tpu", "intel", "google")
                        .contains(candidate.toLowerCase(Locale.ROOT)));
    Arbitrary<List<String>> names = name.list().ofMaxSize(3);
    // A fully open memory range writes as "..", which the token form reads as a count: the binder
    // stores null.
    Arbitrary<MemoryRange> memory =
        memoryRanges().filter(range -> range.min() != null || range.max() != null).injectNull(0.5);
    return Combinators.combine(vendor, names, memory, intRanges().injectNull(0.3))
        .as((v, n, m, c) -> new GpuSpec(v, n, m, c, null, null));
  }
}
