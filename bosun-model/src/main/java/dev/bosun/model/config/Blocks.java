package dev.bosun.model.config;

/**
 * How many equal shares a host of a fleet is split into ({@code blocks}), so that several runs can
 * share it: a fixed count, or {@code auto} for one share per GPU. Each share gets the same number
 * of the host's GPUs, and an equal part of its CPUs and memory.
 */
public sealed interface Blocks permits Blocks.Fixed, Blocks.Auto {
  /** The whole host as one share, the default. */
  Blocks ONE = new Fixed(1);

  /** One share per GPU. */
  Blocks AUTO = new Auto();

  /** What a {@code blocks} value looks like, for messages. */
  String FORM = "a whole number of at least 1, or auto";

  /**
   * Parses {@code auto} or a whole number of at least 1; throws {@link IllegalArgumentException}
   * for the user.
   */
  static Blocks parse(String text) {
    String trimmed = text.strip();
    if (trimmed.equals("auto")) {
      return AUTO;
    }
    int count;
    try {
      count = Integer.parseInt(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid blocks '" + text + "': expected " + FORM + " (one block per GPU)", e);
    }
    if (count < 1) {
      throw new IllegalArgumentException(
          "invalid blocks " + count + ": a host splits into at least 1 block; expected " + FORM);
    }
    return new Fixed(count);
  }

  /**
   * The number of blocks a host with {@code gpuCount} GPUs splits into: the fixed count, or for
   * {@code auto} one per GPU (1 for a host without GPUs). The server calls this once it knows the
   * host's GPUs; the parser cannot.
   *
   * @throws IllegalArgumentException with a message for the user when a fixed count does not divide
   *     the host's GPUs evenly
   */
  int blocksFor(int gpuCount);

  /** A fixed number of blocks. */
  record Fixed(int count) implements Blocks {
    public Fixed {
      if (count < 1) {
        throw new IllegalArgumentException(
            "invalid blocks " + count + ": a host splits into at least 1 block");
      }
    }

    @Override
    public int blocksFor(int gpuCount) {
      if (gpuCount < 0) {
        throw new IllegalArgumentException("gpuCount is negative: " + gpuCount);
      }
      if (gpuCount > 0 && gpuCount % count != 0) {
        throw new IllegalArgumentException(
            "blocks: "
                + count
                + " does not divide the host's "
                + gpuCount
                + " GPUs evenly; use a divisor of "
                + gpuCount
                + " or blocks: auto");
      }
      return count;
    }

    @Override
    public String toString() {
      return Integer.toString(count);
    }
  }

  /** One block per GPU. */
  record Auto() implements Blocks {
    @Override
    public int blocksFor(int gpuCount) {
      if (gpuCount < 0) {
        throw new IllegalArgumentException("gpuCount is negative: " + gpuCount);
      }
      return Math.max(1, gpuCount);
    }

    @Override
    public String toString() {
      return "auto";
    }
  }
}
