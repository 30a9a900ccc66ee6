package dev.bosun.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The table and the JSON fields of {@link QueueMemoryBenchmark}. */
final class QueueMemoryReport {
  private QueueMemoryReport() {}

  static void print(
      QueueMemoryOptions options,
      Map<String, Object> report,
      QueueMemoryBenchmark.State baseline,
      QueueMemoryBenchmark.State loaded) {
    report.put("baseline", toMap(baseline));
    if (loaded != null) {
      report.put("queued", toMap(loaded));
    }
    int runs = loaded == null ? 0 : loaded.queued();
    System.out.printf(
        "%nServer memory with %,d pending runs (fill: %s; server JVM options: %s)%n",
        runs,
        options.fill().name().toLowerCase(),
        options.serverJavaOptions().isEmpty()
            ? "JVM defaults"
            : String.join(" ", options.serverJavaOptions()));
    if (loaded == null) {
      System.out.printf("%-36s %12s%n", "", "0 runs");
    } else {
      System.out.printf(
          "%-36s %12s %14s %12s %10s%n", "", "0 runs", runs + " runs", "difference", "per run");
    }
    memoryRow("RSS (VmRSS, before the full GC)", baseline, loaded, ServerMemory::rssKb);
    memoryRow("peak RSS so far (VmHWM)", baseline, loaded, ServerMemory::peakRssKb);
    memoryRow("RSS after the full GC", baseline, loaded, ServerMemory::rssAfterGcKb);
    memoryRow("Java heap used after the full GC", baseline, loaded, ServerMemory::heapUsedKb);
    memoryRow("Java heap committed after it", baseline, loaded, ServerMemory::heapCommittedKb);
    timeRow(
        "pass: apply → pending, min/median",
        baseline,
        loaded,
        s ->
            "%.0f / %.0f ms"
                .formatted(
                    PassProbe.min(s.passes().wallMs()), PassProbe.median(s.passes().wallMs())));
    timeRow(
        "pass: scheduler CPU, min/median",
        baseline,
        loaded,
        s ->
            "%.0f / %.0f ms"
                .formatted(
                    PassProbe.min(s.passes().schedulerCpuMs()),
                    PassProbe.median(s.passes().schedulerCpuMs())));
    timeRow(
        "pass: server CPU, min/median",
        baseline,
        loaded,
        s ->
            "%.0f / %.0f ms"
                .formatted(
                    PassProbe.min(s.passes().serverCpuMs()),
                    PassProbe.median(s.passes().serverCpuMs())));
    timeRow(
        "idle server CPU (% of one core)",
        baseline, loaded, s -> "%.1f %%".formatted(100 * s.idle().serverShare()));
    System.out.printf(
        "first start → ready: %s s; load average before/after: %s / %s%n",
        report.get("first_start_to_ready_s"),
        report.get("load_average_before"),
        report.get("load_average_after"));
    System.out.printf("load: %s%n", report.get("load"));
    nativeMemory(baseline, loaded);
    if (loaded != null && !loaded.memory().histogram().isEmpty()) {
      System.out.printf(
          "%nLive objects of the server with %,d pending runs (GC.class_histogram)%n", runs);
      loaded.memory().histogram().forEach(System.out::println);
    }
  }

  /** Native Memory Tracking's committed memory per category, largest growth first. */
  private static void nativeMemory(
      QueueMemoryBenchmark.State baseline, QueueMemoryBenchmark.State loaded) {
    Map<String, Long> base = baseline.memory().nativeCommittedKb();
    Map<String, Long> queued = loaded == null ? base : loaded.memory().nativeCommittedKb();
    if (queued.isEmpty()) {
      return;
    }
    System.out.printf("%nJVM memory committed after the full GC (Native Memory Tracking)%n");
    queued.keySet().stream()
        .sorted(
            java.util.Comparator.comparingLong(
                (String k) -> base.getOrDefault(k, 0L) - queued.get(k)))
        .limit(12)
        .forEach(
            name ->
                System.out.printf(
                    "%-36s %12s %14s %12s%n",
                    name,
                    mib(base.getOrDefault(name, 0L)),
                    mib(queued.get(name)),
                    mib(queued.get(name) - base.getOrDefault(name, 0L))));
  }

  private static void memoryRow(
      String name,
      QueueMemoryBenchmark.State baseline,
      QueueMemoryBenchmark.State loaded,
      ToLongFunction<ServerMemory> field) {
    long base = field.applyAsLong(baseline.memory());
    if (loaded == null) {
      System.out.printf("%-36s %12s%n", name, mib(base));
      return;
    }
    long queued = field.applyAsLong(loaded.memory());
    long difference = queued - base;
    System.out.printf(
        "%-36s %12s %14s %12s %10s%n",
        name,
        mib(base),
        mib(queued),
        mib(difference),
        "%.2f KiB".formatted((double) difference / loaded.queued()));
  }

  private static void timeRow(
      String name,
      QueueMemoryBenchmark.State baseline,
      QueueMemoryBenchmark.State loaded,
      java.util.function.Function<QueueMemoryBenchmark.State, String> value) {
    System.out.printf(
        "%-36s %12s %14s%n",
        name, value.apply(baseline), loaded == null ? "" : value.apply(loaded));
  }

  private static String mib(long kb) {
    return "%.1f MiB".formatted(kb / 1024.0);
  }

  private static Map<String, Object> toMap(QueueMemoryBenchmark.State state) {
    ServerMemory memory = state.memory();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("queued_runs", state.queued());
    map.put("rss_kb", memory.rssKb());
    map.put("peak_rss_kb", memory.peakRssKb());
    map.put("rss_after_gc_kb", memory.rssAfterGcKb());
    map.put("heap_used_after_gc_kb", memory.heapUsedKb());
    map.put("heap_committed_after_gc_kb", memory.heapCommittedKb());
    if (!memory.nativeCommittedKb().isEmpty()) {
      map.put("native_committed_kb", memory.nativeCommittedKb());
    }
    map.put("passes", state.passes().toMap());
    map.put("idle", state.idle().toMap());
    return map;
  }
}
