package dev.bosun.scheduler;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The working copy of one instance during a planning pass: its totals, and what is free after the
 * allocations it started with and those the pass has added. Free = total − sum of allocations; it
 * can be negative when a host was re-detected smaller than what its jobs hold, and then nothing
 * more fits.
 */
final class HostCapacity {
  private static final GpuDevice[] NO_GPUS = new GpuDevice[0];

  private final InstanceView view;
  private final GpuDevice[] gpus;
  private final GpuModelName[] gpuNames;
  private final boolean[] gpuBusy;
  private final Map<GpuFilter, boolean[]> gpusMatching;
  private final List<Allocation> allocations;
  private int freeCpus;
  private long freeMemoryMb;
  private int freeGpus;

  HostCapacity(InstanceView view) {
    this.view = view;
    HostResources resources = view.resources();
    this.gpus =
        resources == null
            ? NO_GPUS
            : resources.gpus().stream()
                .sorted(Comparator.comparingInt(GpuDevice::index))
                .toArray(GpuDevice[]::new);
    this.gpuNames =
        Arrays.stream(gpus).map(gpu -> GpuModelName.of(gpu.name())).toArray(GpuModelName[]::new);
    this.gpuBusy = new boolean[gpus.length];
    this.gpusMatching = new HashMap<>();
    this.allocations = new ArrayList<>();
    this.freeCpus = resources == null ? 0 : resources.cpus();
    this.freeMemoryMb = resources == null ? 0 : resources.memoryMb();
    this.freeGpus = gpus.length;
    view.allocations().forEach(this::allocate);
  }

  private HostCapacity(HostCapacity other) {
    this.view = other.view;
    this.gpus = other.gpus;
    this.gpuNames = other.gpuNames;
    this.gpuBusy = other.gpuBusy.clone();
    this.gpusMatching = other.gpusMatching;
    this.allocations = new ArrayList<>(other.allocations);
    this.freeCpus = other.freeCpus;
    this.freeMemoryMb = other.freeMemoryMb;
    this.freeGpus = other.freeGpus;
  }

  /** An independent copy, for what-if questions such as "when would this fit?". */
  HostCapacity copy() {
    return new HostCapacity(this);
  }

  InstanceView view() {
    return view;
  }

  String instanceId() {
    return view.instanceId();
  }

  String name() {
    return view.instanceName();
  }

  /** The detected resources, or null when not detected yet. */
  HostResources resources() {
    return view.resources();
  }

  int totalCpus() {
    return view.resources() == null ? 0 : view.resources().cpus();
  }

  long totalMemoryMb() {
    return view.resources() == null ? 0 : view.resources().memoryMb();
  }

  int freeCpus() {
    return freeCpus;
  }

  long freeMemoryMb() {
    return freeMemoryMb;
  }

  int gpuCount() {
    return gpus.length;
  }

  /**
   * How many equal shares the host is split into; 1 for a whole host, and for a host whose GPUs the
   * count does not divide.
   */
  int blocks() {
    int blocks = view.blocks();
    return blocks > 1 && gpus.length % blocks == 0 ? blocks : 1;
  }

  /** GPUs in one share. */
  int blockGpus() {
    return gpus.length / blocks();
  }

  /** CPUs in one share. */
  int blockCpus() {
    return totalCpus() / blocks();
  }

  /** Memory in one share, in MiB. */
  long blockMemoryMb() {
    return totalMemoryMb() / blocks();
  }

  int freeGpuCount() {
    return freeGpus;
  }

  /** The GPU at a position (positions follow ascending device index). */
  GpuDevice gpu(int position) {
    return gpus[position];
  }

  /**
   * Which of the host's GPUs, by position, pass a filter; computed once per filter and shared with
   * copies.
   */
  boolean[] gpusMatching(GpuFilter filter) {
    boolean[] matching = gpusMatching.get(filter);
    if (matching == null) {
      matching = new boolean[gpus.length];
      for (int position = 0; position < gpus.length; position++) {
        matching[position] = filter.matches(gpus[position], gpuNames[position]);
      }
      gpusMatching.put(filter, matching);
    }
    return matching;
  }

  boolean gpuBusy(int position) {
    return gpuBusy[position];
  }

  /** Allocations holding resources here: those of the snapshot, then those the pass added. */
  List<Allocation> allocations() {
    return allocations;
  }

  /**
   * Subtracts an allocation from the free capacity. GPU indices the host does not have are ignored.
   */
  void allocate(Allocation allocation) {
    allocations.add(allocation);
    freeCpus -= allocation.cpus();
    freeMemoryMb -= allocation.memoryMb();
    for (int index : allocation.gpuIndices()) {
      int position = positionOf(index);
      if (position >= 0 && !gpuBusy[position]) {
        gpuBusy[position] = true;
        freeGpus--;
      }
    }
  }

  /** Gives an allocation's resources back, as when its job ends. */
  void release(Allocation allocation) {
    if (!allocations.remove(allocation)) {
      return;
    }
    freeCpus += allocation.cpus();
    freeMemoryMb += allocation.memoryMb();
    for (int index : allocation.gpuIndices()) {
      int position = positionOf(index);
      if (position >= 0 && gpuBusy[position] && !heldByAnother(index)) {
        gpuBusy[position] = false;
        freeGpus++;
      }
    }
  }

  private boolean heldByAnother(int index) {
    for (Allocation other : allocations) {
      if (other.gpuIndices().contains(index)) {
        return true;
      }
    }
    return false;
  }

  private int positionOf(int index) {
    for (int position = 0; position < gpus.length; position++) {
      if (gpus[position].index() == index) {
        return position;
      }
    }
    return -1;
  }
}
