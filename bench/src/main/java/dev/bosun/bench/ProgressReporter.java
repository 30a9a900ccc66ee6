package dev.bosun.bench;

/**
 * Prints a phase's progress to stderr about every ten seconds, so that long runs show they are
 * alive.
 */
final class ProgressReporter {
  private static final long EVERY_NANOS = 10_000_000_000L;

  private final String phase;
  private long last = System.nanoTime();

  ProgressReporter(String phase) {
    this.phase = phase;
  }

  synchronized void step(int done, int total) {
    long now = System.nanoTime();
    if (now - last >= EVERY_NANOS || done == total) {
      last = now;
      System.err.printf("%s: %d/%d%n", phase, done, total);
    }
  }
}
