package dev.bosun.model.resources;

/**
 * An inclusive integer range; a null bound is open ({@code 8}, {@code 2..8}, {@code 2..}, {@code
 * ..8}).
 */
public record IntRange(Integer min, Integer max) {
  public IntRange {
    if (min != null && min < 0 || max != null && max < 0) {
      throw new IllegalArgumentException("range bounds must not be negative");
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("range minimum " + min + " is above its maximum " + max);
    }
  }

  public static IntRange exactly(int value) {
    return new IntRange(value, value);
  }

  public static IntRange atLeast(int value) {
    return new IntRange(value, null);
  }

  /** Parses {@code 8}, {@code 2..8}, {@code 2..} or {@code ..8}; see {@link ResourceGrammar}. */
  public static IntRange parse(String text) {
    return ResourceGrammar.parseIntRange(text);
  }

  public boolean contains(int value) {
    return (min == null || value >= min) && (max == null || value <= max);
  }

  /** The least value the range allows (0 when open below). */
  public int minOrZero() {
    return min == null ? 0 : min;
  }

  @Override
  public String toString() {
    if (min != null && min.equals(max)) {
      return min.toString();
    }
    return (min == null ? "" : min.toString()) + ".." + (max == null ? "" : max.toString());
  }
}
