package dev.bosun.model.resources;

/**
 * An amount of memory or disk in MiB. In configuration files a bare number means GB; {@code MB},
 * {@code GB} and {@code TB} are binary units (1 GB = 1024 MB), as in dstack.
 */
public record Memory(long mb) implements Comparable<Memory> {
  public Memory {
    if (mb < 0) {
      throw new IllegalArgumentException("memory must not be negative: " + mb);
    }
  }

  public static Memory ofGb(double gb) {
    return new Memory(Math.round(gb * 1024));
  }

  public static Memory ofMb(long mb) {
    return new Memory(mb);
  }

  /**
   * Parses {@code 512MB}, {@code 16GB}, {@code 1.5TB} or a bare number of GB; see {@link
   * ResourceGrammar}.
   */
  public static Memory parse(String text) {
    return ResourceGrammar.parseMemory(text);
  }

  public double gb() {
    return mb / 1024.0;
  }

  @Override
  public int compareTo(Memory other) {
    return Long.compare(mb, other.mb);
  }

  /** The shortest exact form: {@code 512MB}, {@code 80GB}, {@code 1.5TB}. */
  @Override
  public String toString() {
    if (mb % (1024L * 1024) == 0 && mb != 0) {
      return (mb / (1024L * 1024)) + "TB";
    }
    if (mb % 1024 == 0) {
      return (mb / 1024) + "GB";
    }
    return mb + "MB";
  }
}
