package dev.bosun.scheduler;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourcesSpec;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What one job of a run needs from a host, resolved from its {@link ResourcesSpec}.
 *
 * <p>A job gets the minimum of each range. A minimum the user wrote is never relaxed. A minimum the
 * user left out takes the documented default (cpu {@code 2}, memory {@code 8GB}, disk {@code
 * 100GB}), capped at the host's total (and at the range's maximum, if one was written), so a
 * default alone never makes a run unplaceable: on a 2-CPU laptop with 80 GB of free disk the
 * defaults fit. Maxima do not exclude bigger hosts; the job simply gets its minimum.
 *
 * @param spec the requirement as written
 * @param fleets the fleets the run may use; empty for any
 * @param arch {@code x86} or {@code arm}, or null for any
 * @param cpus the CPU count range as written, or null when not given
 * @param memory the memory range as written, or null when not given
 * @param disk the disk range as written, or null when not given
 * @param gpu the GPU requirement
 * @param nodes how many jobs the run has, one per host; more than one only on a cluster fleet
 * @param container whether the jobs run in containers
 * @param spreadRunId the run whose jobs the host must not hold already (see {@link
 *     QueuedRun#onePerHost}); null when hosts may hold several
 */
record RunDemand(
    ResourcesSpec spec,
    Set<String> fleets,
    String arch,
    IntRange cpus,
    MemoryRange memory,
    MemoryRange disk,
    GpuRequest gpu,
    int nodes,
    boolean container,
    String spreadRunId) {
  static RunDemand of(ResourcesSpec spec, List<String> fleets) {
    return of(spec, fleets, 1, UnaryOperator.identity(), false, null);
  }

  /**
   * @param intern gives back an equal GPU filter already in use, so that hosts find their cached
   *     matches by identity
   */
  static RunDemand of(
      ResourcesSpec spec,
      List<String> fleets,
      int nodes,
      UnaryOperator<GpuFilter> intern,
      boolean container,
      String spreadRunId) {
    CpuSpec cpu = spec.cpu();
    return new RunDemand(
        spec,
        Set.copyOf(fleets),
        cpu == null ? null : cpu.arch(),
        cpu == null ? null : cpu.count(),
        spec.memory(),
        spec.disk(),
        GpuRequest.of(spec.gpuOrDefault(), intern),
        nodes,
        container,
        spreadRunId);
  }

  /** CPUs a job gets on this host. */
  int cpusOn(HostResources host) {
    if (cpus != null && cpus.min() != null) {
      return cpus.min();
    }
    int wanted = ResourcesSpec.DEFAULT_CPU.count().minOrZero();
    if (cpus != null && cpus.max() != null) {
      wanted = Math.min(wanted, cpus.max());
    }
    return Math.max(0, Math.min(wanted, host.cpus()));
  }

  /** Memory, in MiB, a job gets on this host. */
  long memoryMbOn(HostResources host) {
    return minimumOn(memory, ResourcesSpec.DEFAULT_MEMORY, host.memoryMb());
  }

  /** Free disk, in MiB, a job needs on this host. */
  long diskMbOn(HostResources host) {
    return minimumOn(disk, ResourcesSpec.DEFAULT_DISK, host.diskMb());
  }

  /** True when a CPU minimum was written (and so is never relaxed). */
  boolean cpusExplicit() {
    return cpus != null && cpus.min() != null;
  }

  /** The CPU count the requirement asks for, before any relaxation, for reasons. */
  int cpusAsked() {
    return cpusExplicit() ? cpus.min() : ResourcesSpec.DEFAULT_CPU.count().minOrZero();
  }

  /** The memory, in MiB, the requirement asks for, before any relaxation, for reasons. */
  long memoryMbAsked() {
    return memory != null && memory.min() != null
        ? memory.min().mb()
        : ResourcesSpec.DEFAULT_MEMORY.minMbOrZero();
  }

  /** The disk, in MiB, the requirement asks for, before any relaxation, for reasons. */
  long diskMbAsked() {
    return disk != null && disk.min() != null
        ? disk.min().mb()
        : ResourcesSpec.DEFAULT_DISK.minMbOrZero();
  }

  /**
   * True when the host has the free CPUs, memory and GPUs for a job now. Architecture and disk are
   * not checked.
   */
  boolean fitsFreeCapacityOf(HostCapacity host) {
    HostResources resources = host.resources();
    return resources != null
        && cpusOn(host) <= host.freeCpus()
        && memoryMbOn(host) <= host.freeMemoryMb()
        && gpusOn(host, false) != null;
  }

  /**
   * How many shares of a host split into {@code blocks} a job takes: enough for its GPUs, CPUs and
   * memory, at least one; 1 on a whole host. More than the host has means it never fits there.
   */
  int blocksOn(HostCapacity host) {
    int blocks = host.blocks();
    if (blocks == 1) {
      return 1;
    }
    long needed = 1;
    if (gpu.wantsGpus() && host.blockGpus() > 0) {
      needed = Math.max(needed, shares(gpu.count(), host.blockGpus(), blocks));
    }
    needed = Math.max(needed, shares(cpusOn(host.resources()), host.blockCpus(), blocks));
    needed = Math.max(needed, shares(memoryMbOn(host.resources()), host.blockMemoryMb(), blocks));
    return (int) Math.min(needed, Integer.MAX_VALUE);
  }

  /** Shares of {@code unit} each for {@code amount}; more than there are when a share has none. */
  private static long shares(long amount, long unit, int blocks) {
    if (amount <= 0) {
      return 1;
    }
    return unit <= 0 ? blocks + 1L : (amount + unit - 1) / unit;
  }

  /** CPUs a job gets on this host: whole shares of a host split into blocks. */
  int cpusOn(HostCapacity host) {
    return host.blocks() == 1 ? cpusOn(host.resources()) : blocksOn(host) * host.blockCpus();
  }

  /** Memory, in MiB, a job gets on this host: whole shares of a host split into blocks. */
  long memoryMbOn(HostCapacity host) {
    return host.blocks() == 1
        ? memoryMbOn(host.resources())
        : blocksOn(host) * host.blockMemoryMb();
  }

  /**
   * The GPUs a job gets on this host, as positions: on a host split into blocks, all the GPUs of
   * its shares (whole shares whose GPUs are all free and all match, lowest first); null when the
   * host cannot give them now (or ever, with {@code asIfEmpty}).
   */
  int[] gpusOn(HostCapacity host, boolean asIfEmpty) {
    if (host.blocks() == 1) {
      return gpu.select(host, asIfEmpty);
    }
    int shares = blocksOn(host);
    if (shares > host.blocks()) {
      return null; // more shares than the host has
    }
    if (host.blockGpus() == 0) {
      return gpu.select(host, asIfEmpty);
    }
    boolean[] matches = gpu.matches(host);
    int size = host.blockGpus();
    int[] chosen = new int[shares * size];
    int taken = 0;
    for (int block = 0; block < host.blocks() && taken < shares; block++) {
      boolean usable = true;
      for (int position = block * size; position < (block + 1) * size; position++) {
        usable &= (!gpu.wantsGpus() || matches[position]) && (asIfEmpty || !host.gpuBusy(position));
      }
      if (usable) {
        for (int i = 0; i < size; i++) {
          chosen[taken * size + i] = block * size + i;
        }
        taken++;
      }
    }
    return taken == shares ? chosen : null;
  }

  private static long minimumOn(MemoryRange written, MemoryRange fallback, long hostTotalMb) {
    if (written != null && written.min() != null) {
      return written.min().mb();
    }
    long wanted = fallback.minMbOrZero();
    if (written != null && written.max() != null) {
      wanted = Math.min(wanted, written.max().mb());
    }
    return Math.max(0, Math.min(wanted, hostTotalMb));
  }
}
