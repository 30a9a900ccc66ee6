package dev.bosun.model.resources;

import java.util.Objects;

/**
 * CPU requirement: {@code 16..}, {@code arm:8}, {@code x86:4..8}.
 *
 * @param arch {@code x86} or {@code arm}, or null for any
 * @param count the number of logical CPUs
 */
public record CpuSpec(String arch, IntRange count) {
  public CpuSpec {
    Objects.requireNonNull(count, "count is null");
    if (arch != null && !arch.equals("x86") && !arch.equals("arm")) {
      throw new IllegalArgumentException("cpu arch must be x86 or arm, not " + arch);
    }
  }

  /**
   * Parses {@code 16..}, {@code 8}, {@code arm:8} or {@code x86:4..8}; see {@link ResourceGrammar}.
   */
  public static CpuSpec parse(String text) {
    return ResourceGrammar.parseCpu(text);
  }

  @Override
  public String toString() {
    return arch == null ? count.toString() : arch + ":" + count;
  }
}
