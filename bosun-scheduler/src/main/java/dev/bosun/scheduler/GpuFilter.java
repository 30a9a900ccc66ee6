package dev.bosun.scheduler;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.resources.MemoryRange;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a GPU device must be to serve a request: vendor, model names and per-GPU memory, without the
 * count. Hosts cache which of their devices match each filter, since many queued runs ask for the
 * same kind of GPU.
 */
final class GpuFilter {
  private final String vendor;
  private final List<String> names;
  private final MemoryRange memory;
  private final int[] computeCapability;
  private final int hash;

  /**
   * @param vendor the vendor, or null for any
   * @param names model names as written; empty for any
   * @param memory the per-GPU memory range, or null for any
   */
  GpuFilter(String vendor, List<String> names, MemoryRange memory) {
    this(vendor, names, memory, null);
  }

  /**
   * @param computeCapability the least NVIDIA compute capability ({@code 8.0}), or null for any; a
   *     device that does not report its compute capability does not match one
   */
  GpuFilter(String vendor, List<String> names, MemoryRange memory, String computeCapability) {
    this.vendor = vendor == null ? null : vendor.toLowerCase(Locale.ROOT);
    this.names = names.stream().map(GpuModelName::normalizeRequested).distinct().sorted().toList();
    this.memory = memory;
    this.computeCapability = computeCapability == null ? null : version(computeCapability);
    this.hash =
        Objects.hash(
            this.vendor, this.names, memory, java.util.Arrays.hashCode(this.computeCapability));
  }

  /** {@code 8.6} as {@code [8, 6]}; null when it is not such a version. */
  static int[] version(String text) {
    String[] parts = text.strip().split("\\.");
    try {
      return new int[] {
        Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * True when the device is of the vendor, one of the models, within the memory range and of at
   * least the compute capability.
   */
  boolean matches(GpuDevice device, GpuModelName modelName) {
    if (vendor != null && !vendor.equals(device.vendor().toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (computeCapability != null) {
      int[] has = device.computeCapability() == null ? null : version(device.computeCapability());
      if (has == null || java.util.Arrays.compare(has, computeCapability) < 0) {
        return false;
      }
    }
    if (memory != null && !GpuRequest.withinTolerance(device.memoryMb(), memory)) {
      return false;
    }
    if (names.isEmpty()) {
      return true;
    }
    for (String name : names) {
      if (modelName.matches(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof GpuFilter filter
            && hash == filter.hash
            && Objects.equals(vendor, filter.vendor)
            && names.equals(filter.names)
            && Objects.equals(memory, filter.memory)
            && java.util.Arrays.equals(computeCapability, filter.computeCapability);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
