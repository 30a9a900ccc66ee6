package dev.bosun.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percentiles of a sample of durations in milliseconds, by the nearest-rank method (p99 of 500
 * samples is the 495th smallest).
 *
 * @param count how many samples
 */
record Distribution(
    int count, double min, double p50, double p90, double p99, double max, double mean) {
  static final Distribution EMPTY = new Distribution(0, 0, 0, 0, 0, 0, 0);

  static Distribution of(List<Double> samplesMs) {
    if (samplesMs.isEmpty()) {
      return EMPTY;
    }
    double[] sorted = samplesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Distribution(
        sorted.length,
        sorted[0],
        rank(sorted, 50),
        rank(sorted, 90),
        rank(sorted, 99),
        sorted[sorted.length - 1],
        Arrays.stream(sorted).average().orElse(0));
  }

  private static double rank(double[] sorted, int percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** The figures rounded to 0.1 ms, for the JSON line. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", count);
    map.put("min_ms", round(min));
    map.put("p50_ms", round(p50));
    map.put("p90_ms", round(p90));
    map.put("p99_ms", round(p99));
    map.put("max_ms", round(max));
    map.put("mean_ms", round(mean));
    return map;
  }

  /** One row of the printed table. */
  String row(String label) {
    return String.format(
        "%-38s %6d %9.1f %9.1f %9.1f %9.1f %9.1f", label, count, p50, p90, p99, max, mean);
  }

  static String header() {
    return String.format(
        "%-38s %6s %9s %9s %9s %9s %9s", "phase (ms)", "n", "p50", "p90", "p99", "max", "mean");
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
