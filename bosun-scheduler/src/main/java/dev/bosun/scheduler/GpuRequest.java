package dev.bosun.scheduler;

import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.MemoryRange;
import java.util.function.UnaryOperator;

/**
 * A run's GPU requirement in the form the scheduler matches devices against, and the choice of
 * devices.
 *
 * <p>The job gets the range minimum of GPUs ({@code 1..4} gives 1), or more only when needed to
 * reach the {@code total_memory} minimum. A count without a minimum means 1 once a vendor, name or
 * memory is given, else 0; a count of 0 means no GPUs and no GPU constraints. Device memory is
 * matched within 1/16 of each bound, because drivers report less than the marketed size (an H100
 * 80GB reports 81,559 MiB, a T4 16GB 15,360 MiB). A {@code compute_capability} minimum matches only
 * GPUs whose agent reported at least that capability ({@code nvidia-smi}'s {@code compute_cap}).
 */
final class GpuRequest {
  private static final int[] NO_POSITIONS = new int[0];

  private final GpuSpec spec;
  private final int count;
  private final Integer countMax;
  private final GpuFilter filter;
  private final String filterText;

  private GpuRequest(GpuSpec spec, UnaryOperator<GpuFilter> intern) {
    this.spec = spec;
    boolean filtered =
        spec.vendor() != null
            || !spec.names().isEmpty()
            || spec.memory() != null
            || spec.totalMemory() != null
            || spec.computeCapability() != null;
    Integer min = spec.count().min();
    Integer max = spec.count().max();
    int wanted = min != null ? min : filtered ? 1 : 0;
    this.count = max == null ? wanted : Math.min(wanted, max);
    this.countMax = max;
    this.filter =
        intern.apply(
            new GpuFilter(spec.vendor(), spec.names(), spec.memory(), spec.computeCapability()));
    this.filterText = filterText(spec);
  }

  static GpuRequest of(GpuSpec spec) {
    return new GpuRequest(spec, UnaryOperator.identity());
  }

  /**
   * @param intern gives back an equal filter already in use, so that hosts find their cached
   *     matches by identity
   */
  static GpuRequest of(GpuSpec spec, UnaryOperator<GpuFilter> intern) {
    return new GpuRequest(spec, intern);
  }

  /** How many GPUs a job gets at least; 0 when it needs none. */
  int count() {
    return count;
  }

  boolean wantsGpus() {
    return count > 0;
  }

  /** The requirement as written, e.g. {@code H100:1}. */
  String specText() {
    return spec.toString();
  }

  /**
   * What a device must be, without the count, e.g. {@code H100} or {@code nvidia:24GB..}; empty for
   * any GPU.
   */
  String filterText() {
    return filterText;
  }

  private static String filterText(GpuSpec spec) {
    StringBuilder out = new StringBuilder();
    if (spec.vendor() != null) {
      out.append(spec.vendor());
    }
    if (!spec.names().isEmpty()) {
      out.append(out.isEmpty() ? "" : ":").append(String.join(",", spec.names()));
    }
    if (spec.memory() != null) {
      out.append(out.isEmpty() ? "" : ":").append(spec.memory());
    }
    if (spec.computeCapability() != null) {
      out.append(out.isEmpty() ? "" : ", ")
          .append("compute capability ")
          .append(spec.computeCapability())
          .append("+");
    }
    return out.toString();
  }

  /** Which of the host's GPUs, by position, match the requirement (vendor, names, memory). */
  boolean[] matches(HostCapacity host) {
    return host.gpusMatching(filter);
  }

  /** True when the filter is model names and nothing else. */
  boolean filtersByNameOnly() {
    return !spec.names().isEmpty()
        && spec.vendor() == null
        && spec.memory() == null
        && spec.computeCapability() == null;
  }

  /** How many of the host's GPUs match, counting busy ones too unless {@code freeOnly}. */
  int matchingCount(HostCapacity host, boolean freeOnly) {
    boolean[] matches = host.gpusMatching(filter);
    int matching = 0;
    for (int position = 0; position < host.gpuCount(); position++) {
      if ((!freeOnly || !host.gpuBusy(position)) && matches[position]) {
        matching++;
      }
    }
    return matching;
  }

  /**
   * Whether {@link #select} would succeed, without allocating in the common case (no total memory
   * asked).
   */
  boolean canSelect(HostCapacity host, boolean asIfEmpty) {
    if (count == 0) {
      return true;
    }
    if (host.gpuCount() < count || !asIfEmpty && host.freeGpuCount() < count) {
      return false;
    }
    if (spec.totalMemory() != null) {
      return select(host, asIfEmpty) != null;
    }
    boolean[] matches = host.gpusMatching(filter);
    int available = 0;
    for (int position = 0; position < matches.length; position++) {
      if (matches[position] && (asIfEmpty || !host.gpuBusy(position)) && ++available == count) {
        return true;
      }
    }
    return false;
  }

  /**
   * The GPUs a job would get: the lowest-indexed free matching devices, as few as the count and
   * total memory allow.
   *
   * @param asIfEmpty choose among all of the host's GPUs, as if no job held any
   * @return positions in ascending index order (empty when no GPUs are wanted), or null when the
   *     host cannot give them
   */
  int[] select(HostCapacity host, boolean asIfEmpty) {
    if (count == 0) {
      return NO_POSITIONS;
    }
    if (host.gpuCount() < count) {
      return null;
    }
    boolean[] matches = host.gpusMatching(filter);
    int[] available = new int[host.gpuCount()];
    int availableCount = 0;
    for (int position = 0; position < host.gpuCount(); position++) {
      if ((asIfEmpty || !host.gpuBusy(position)) && matches[position]) {
        available[availableCount++] = position;
      }
    }
    if (availableCount < count) {
      return null;
    }
    int taken = count;
    long memoryMb = 0;
    for (int i = 0; i < taken; i++) {
      memoryMb += host.gpu(available[i]).memoryMb();
    }
    MemoryRange total = spec.totalMemory();
    if (total != null && total.min() != null) {
      int limit = countMax == null ? availableCount : Math.min(countMax, availableCount);
      while (!withinTolerance(memoryMb, new MemoryRange(total.min(), null)) && taken < limit) {
        memoryMb += host.gpu(available[taken++]).memoryMb();
      }
    }
    if (total != null && !withinTolerance(memoryMb, total)) {
      return null;
    }
    int[] chosen = new int[taken];
    System.arraycopy(available, 0, chosen, 0, taken);
    return chosen;
  }

  /**
   * Whether an amount of device memory satisfies a range, allowing 1/16 below the minimum and above
   * the maximum.
   */
  static boolean withinTolerance(long memoryMb, MemoryRange range) {
    boolean aboveMin = range.min() == null || memoryMb * 16 >= range.min().mb() * 15;
    boolean belowMax = range.max() == null || memoryMb * 16 <= range.max().mb() * 17;
    return aboveMin && belowMax;
  }
}
