package dev.bosun.model.resources;

import java.util.List;

/**
 * GPU requirement, from the colon-separated token form ({@code A100:80GB:8}, {@code 24GB..:2},
 * {@code nvidia:1..8}) or the mapping form.
 *
 * @param vendor {@code nvidia}, {@code amd}, {@code tpu}, {@code intel}, or null for any
 * @param names accepted model names (case-insensitive, e.g. {@code A100}, {@code H100}); empty for
 *     any
 * @param memory per-GPU memory, or null for any
 * @param count number of GPUs; never null ({@code 0..} when unspecified, {@code 1..} once a GPU is
 *     named)
 * @param totalMemory memory summed over the GPUs, or null for any
 * @param computeCapability minimum NVIDIA compute capability such as {@code 8.0}, or null for any
 */
public record GpuSpec(
    String vendor,
    List<String> names,
    MemoryRange memory,
    IntRange count,
    MemoryRange totalMemory,
    String computeCapability) {
  public GpuSpec {
    names = names == null ? List.of() : List.copyOf(names);
    if (count == null) {
      count =
          (vendor != null
                  || !names.isEmpty()
                  || memory != null
                  || totalMemory != null
                  || computeCapability != null)
              ? IntRange.atLeast(1)
              : IntRange.atLeast(0);
    }
  }

  /**
   * Parses the token form, {@code A100:80GB:8}, {@code 24GB..:2}, {@code nvidia:1..8}; see {@link
   * ResourceGrammar}. The token form has no place for {@code totalMemory} and {@code
   * computeCapability}, which only the mapping form of a configuration file sets, so {@code
   * parse(toString())} gives back specs without them.
   */
  public static GpuSpec parse(String text) {
    return ResourceGrammar.parseGpu(text);
  }

  /** True when the spec asks for at least one GPU. */
  public boolean wantsGpus() {
    return count.minOrZero() > 0;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (vendor != null) {
      out.append(vendor).append(':');
    }
    if (!names.isEmpty()) {
      out.append(String.join(",", names)).append(':');
    }
    if (memory != null) {
      out.append(memory).append(':');
    }
    out.append(count);
    return out.toString();
  }
}
