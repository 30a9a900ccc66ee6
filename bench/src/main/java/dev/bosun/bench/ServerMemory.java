package dev.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The memory of a server process, from {@code /proc/PID/status} and {@code jcmd} (Linux and a JDK
 * with {@code jcmd} next to this JVM's {@code java}).
 *
 * @param rssKb resident set size before the full GC ({@code VmRSS})
 * @param peakRssKb the process's peak resident set size so far ({@code VmHWM})
 * @param rssAfterGcKb resident set size after the full GC
 * @param heapUsedKb Java heap used after the full GC ({@code GC.heap_info}): what is live
 * @param heapCommittedKb Java heap committed after the full GC
 * @param histogram the first rows of {@code GC.class_histogram} (live objects by class), or empty
 * @param nativeCommittedKb memory committed by the JVM per Native Memory Tracking category ({@code
 *     Total}, {@code Java Heap}, {@code Class}, {@code Thread}, …) after the full GC, when the
 *     server runs with {@code -XX:NativeMemoryTracking=summary}; else empty
 */
record ServerMemory(
    long rssKb,
    long peakRssKb,
    long rssAfterGcKb,
    long heapUsedKb,
    long heapCommittedKb,
    List<String> histogram,
    Map<String, Long> nativeCommittedKb) {
  private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
  private static final Pattern COMMITTED =
      Pattern.compile("(?:committed|total|capacity) (\\d+)([KMG])");

  private static final Pattern NMT =
      Pattern.compile("^(?:-\\s*(.+?) \\(|(Total): )reserved=\\d+KB, committed=(\\d+)KB");

  /** G1 gives memory back to the OS concurrently, after the full GC has returned. */
  private static final int SETTLE_SECONDS = 15;

  /**
   * Samples RSS, runs a full GC ({@code jcmd PID GC.run}), then reads the heap and RSS again; with
   * {@code histogramRows > 0} also the largest classes of live objects.
   */
  static ServerMemory sample(long pid, int histogramRows) throws IOException, InterruptedException {
    long rss = statusKb(pid, "VmRSS");
    long peak = statusKb(pid, "VmHWM");
    jcmd(pid, "GC.run");
    settle(pid);
    long heapUsed = 0;
    long heapCommitted = 0;
    // One line per heap or generation ("garbage-first heap total reserved …, committed …, used …",
    // "DefNew total …, used …"), each followed by more indented detail lines; older JDKs indent
    // every line by one more space and add Metaspace lines.
    List<String> lines = jcmd(pid, "GC.heap_info");
    int indent = lines.isEmpty() ? 0 : indent(lines.getFirst());
    for (String line : lines) {
      String name = line.trim();
      if (indent(line) != indent
          || name.startsWith("Metaspace")
          || name.startsWith("class space")) {
        continue;
      }
      heapUsed += kb(USED.matcher(line));
      heapCommitted += kb(COMMITTED.matcher(line));
    }
    long rssAfter = statusKb(pid, "VmRSS");
    List<String> histogram = List.of();
    if (histogramRows > 0) {
      // a header line, a line of dashes, then one row per class, largest first
      List<String> rows = jcmd(pid, "GC.class_histogram");
      histogram = new ArrayList<>(rows.subList(0, Math.min(rows.size(), histogramRows + 2)));
      histogram.removeIf(line -> line.startsWith("---"));
    }
    return new ServerMemory(
        rss, peak, rssAfter, heapUsed, heapCommitted, histogram, nativeMemory(pid));
  }

  /** Committed kB per category of {@code VM.native_memory summary}; empty without NMT. */
  private static Map<String, Long> nativeMemory(long pid) throws InterruptedException {
    Map<String, Long> committed = new LinkedHashMap<>();
    try {
      for (String line : jcmd(pid, "VM.native_memory", "summary")) {
        // "Total: reserved=…KB, committed=…KB" and "-   Java Heap (reserved=…KB, committed=…KB)"
        Matcher matcher = NMT.matcher(line.trim());
        if (matcher.find()) {
          String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
          committed.put(name, Long.parseLong(matcher.group(3)));
        }
      }
    } catch (IOException notEnabled) {
      // the server runs without -XX:NativeMemoryTracking
    }
    return committed;
  }

  /** Waits until the RSS has stopped falling (by 1 % a second), at most {@code SETTLE_SECONDS}. */
  private static void settle(long pid) throws IOException, InterruptedException {
    long last = statusKb(pid, "VmRSS");
    for (int i = 0; i < SETTLE_SECONDS; i++) {
      Thread.sleep(1000);
      long now = statusKb(pid, "VmRSS");
      if (now > last * 0.99) {
        return;
      }
      last = now;
    }
  }

  /** A field of {@code /proc/PID/status} in kB ({@code VmRSS}, {@code VmHWM}), or -1. */
  static long statusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /**
   * CPU time (user + system, in clock ticks of 10 ms) of the process's threads whose name is {@code
   * thread} ({@code /proc/PID/task/TID/comm}, at most 15 characters), or of the whole process if
   * {@code thread} is null.
   */
  static long cpuTicks(long pid, String thread) throws IOException {
    Path process = Path.of("/proc", String.valueOf(pid));
    if (thread == null) {
      return ticks(process.resolve("stat"));
    }
    long total = 0;
    try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (Files.readString(task.resolve("comm")).trim().equals(thread)) {
            total += ticks(task.resolve("stat"));
          }
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
    }
    return total;
  }

  private static long ticks(Path stat) throws IOException {
    String text = Files.readString(stat);
    // the name (field 2) may hold spaces; utime and stime are fields 14 and 15
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static int indent(String line) {
    int spaces = 0;
    while (spaces < line.length() && line.charAt(spaces) == ' ') {
      spaces++;
    }
    return spaces;
  }

  private static long kb(Matcher matcher) {
    if (!matcher.find()) {
      return 0;
    }
    long value = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "G" -> value * 1024 * 1024;
      case "M" -> value * 1024;
      default -> value;
    };
  }

  private static List<String> jcmd(long pid, String... command)
      throws IOException, InterruptedException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path jcmd = java.resolveSibling("jcmd");
    if (!Files.isExecutable(jcmd)) {
      jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }
    List<String> line = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>(process.inputReader().lines().toList());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + String.join(" ", command) + " failed: " + lines);
    }
    if (!lines.isEmpty() && lines.getFirst().startsWith(pid + ":")) {
      lines.removeFirst();
    }
    return lines;
  }
}
