package dev.bosun.model.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many replicas a service runs: a fixed count ({@code replicas: 2}) or a range that {@code
 * scaling} moves within ({@code replicas: 1..4}, or {@code 0..4} to run none while the service gets
 * no requests). dstack's {@code ..4} is read as {@code 0..4}.
 *
 * @param min the fewest replicas, 0 or more
 * @param max the most replicas, at least 1 and at least {@code min}, at most {@link #MAX_REPLICAS}
 */
public record ReplicaRange(int min, int max) {
  /** The most replicas a service may ask for: a bound on typos such as 200 for 2. */
  public static final int MAX_REPLICAS = 100;

  /** One replica, always: a service that leaves {@code replicas} out. */
  public static final ReplicaRange ONE = new ReplicaRange(1, 1);

  static final String FORM =
      "a number of replicas from 1 to "
          + MAX_REPLICAS
          + ", or a range MIN..MAX such as 1..4 or 0..4";

  private static final Pattern FORMS = Pattern.compile("(\\d+)?\\s*(\\.\\.)?\\s*(\\d+)?");

  public ReplicaRange {
    if (min < 0) {
      throw new IllegalArgumentException(
          "invalid replicas " + min + ".." + max + ": the fewest replicas is 0 or more");
    }
    if (min > max) {
      throw new IllegalArgumentException(
          "invalid replicas "
              + min
              + ".."
              + max
              + ": the minimum is above the maximum; write the fewer first, e.g. "
              + max
              + ".."
              + min);
    }
    if (max < 1) {
      throw new IllegalArgumentException(
          "invalid replicas "
              + (min == max ? Integer.toString(max) : min + ".." + max)
              + ": a service runs at least 1 replica at its most; for one that runs none while"
              + " idle, write a range such as 0..1 with scaling");
    }
    if (max > MAX_REPLICAS) {
      throw new IllegalArgumentException(
          "invalid replicas "
              + (min == max ? Integer.toString(max) : min + ".." + max)
              + ": a service runs at most "
              + MAX_REPLICAS
              + " replicas");
    }
  }

  /** Exactly {@code count} replicas. */
  public static ReplicaRange exactly(int count) {
    return new ReplicaRange(count, count);
  }

  /**
   * Parses {@code 2}, {@code 1..4}, {@code 0..4} or dstack's {@code ..4} (spaces around the numbers
   * and {@code ..} are allowed); throws {@link IllegalArgumentException} with a message for the
   * user.
   */
  public static ReplicaRange parse(String text) {
    String trimmed = text.strip();
    Matcher matcher = FORMS.matcher(trimmed);
    if (trimmed.isEmpty() || !matcher.matches()) {
      throw new IllegalArgumentException("invalid replicas '" + text + "': expected " + FORM);
    }
    String low = matcher.group(1);
    boolean range = matcher.group(2) != null;
    String high = matcher.group(3);
    if (!range && (low == null || high != null)) {
      // "1 4" or "": two numbers without "..", or none
      throw new IllegalArgumentException("invalid replicas '" + text + "': expected " + FORM);
    }
    if (range && high == null) {
      int from = low == null ? 0 : safeInt(low, text);
      String example =
          from < MAX_REPLICAS
              ? from + ".." + Math.min(MAX_REPLICAS, Math.max(4, from + 3))
              : "1..4";
      throw new IllegalArgumentException(
          "invalid replicas '" + text + "': a range of replicas needs a maximum, e.g. " + example);
    }
    int max = safeInt(range ? high : low, text);
    int min = range ? (low == null ? 0 : safeInt(low, text)) : max;
    return new ReplicaRange(min, max);
  }

  private static int safeInt(String digits, String text) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid replicas '" + text + "': a service runs at most " + MAX_REPLICAS + " replicas",
          e);
    }
  }

  /** Whether the count is fixed ({@code min == max}), so that nothing scales it. */
  public boolean isFixed() {
    return min == max;
  }

  /** {@code 2} for a fixed count, else {@code 1..4}: the form {@link #parse} reads. */
  @Override
  public String toString() {
    return isFixed() ? Integer.toString(max) : min + ".." + max;
  }
}
