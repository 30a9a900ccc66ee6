package dev.bosun.server.proxy;

/**
 * Requests per second to one service, counted per second over the last {@link #SECONDS}: what the
 * autoscaler averages over a service's {@code scaling.window}.
 */
final class RequestRate {
  /** The longest window it can average over. */
  static final int SECONDS = 3600;

  private final long[] counts = new long[SECONDS];
  private final long[] secondOf = new long[SECONDS];
  private long last = Long.MIN_VALUE;

  /** Requests being answered or waiting for a replica. */
  final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Counts a request at {@code second} (epoch seconds). */
  synchronized void add(long second) {
    int slot = (int) Math.floorMod(second, (long) SECONDS);
    if (secondOf[slot] != second) {
      secondOf[slot] = second;
      counts[slot] = 0;
    }
    counts[slot]++;
    last = Math.max(last, second);
  }

  /**
   * The average rate over the {@code window} seconds up to and including {@code now}: requests in
   * that time divided by the window.
   */
  synchronized double perSecond(long now, int window) {
    int seconds = Math.max(1, Math.min(window, SECONDS));
    if (last == Long.MIN_VALUE || now - last >= seconds) {
      return 0;
    }
    long total = 0;
    for (long second = now - seconds + 1; second <= now; second++) {
      int slot = (int) Math.floorMod(second, (long) SECONDS);
      if (secondOf[slot] == second) {
        total += counts[slot];
      }
    }
    return (double) total / seconds;
  }
}
