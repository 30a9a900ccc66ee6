package dev.bosun.model.resources;

/**
 * An inclusive memory range; a null bound is open ({@code 16GB}, {@code 16GB..}, {@code ..80GB}).
 */
public record MemoryRange(Memory min, Memory max) {
  public MemoryRange {
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException("range minimum " + min + " is above its maximum " + max);
    }
  }

  public static MemoryRange atLeast(Memory min) {
    return new MemoryRange(min, null);
  }

  /**
   * Parses {@code 16GB}, {@code 16GB..}, {@code ..80GB} or {@code 16GB..80GB}; see {@link
   * ResourceGrammar}.
   */
  public static MemoryRange parse(String text) {
    return ResourceGrammar.parseMemoryRange(text);
  }

  public boolean contains(Memory value) {
    return (min == null || value.compareTo(min) >= 0) && (max == null || value.compareTo(max) <= 0);
  }

  public long minMbOrZero() {
    return min == null ? 0 : min.mb();
  }

  @Override
  public String toString() {
    if (min != null && min.equals(max)) {
      return min.toString();
    }
    return (min == null ? "" : min.toString()) + ".." + (max == null ? "" : max.toString());
  }
}
