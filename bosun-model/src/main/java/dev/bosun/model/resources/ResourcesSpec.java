package dev.bosun.model.resources;

/**
 * The {@code resources:} block of a run or fleet. A null field was not given in the file; the
 * scheduler then applies the documented default (cpu {@code 2..}, memory {@code 8GB..}, disk {@code
 * 100GB..}, gpu {@code 0..}), relaxed to the host's capacity on small hosts.
 */
public record ResourcesSpec(
    CpuSpec cpu, MemoryRange memory, MemoryRange disk, Memory shmSize, GpuSpec gpu) {
  public static final ResourcesSpec UNSPECIFIED = new ResourcesSpec(null, null, null, null, null);

  public static final CpuSpec DEFAULT_CPU = new CpuSpec(null, IntRange.atLeast(2));
  public static final MemoryRange DEFAULT_MEMORY = MemoryRange.atLeast(Memory.ofGb(8));
  public static final MemoryRange DEFAULT_DISK = MemoryRange.atLeast(Memory.ofGb(100));
  public static final GpuSpec DEFAULT_GPU = new GpuSpec(null, null, null, null, null, null);

  public CpuSpec cpuOrDefault() {
    return cpu == null ? DEFAULT_CPU : cpu;
  }

  public MemoryRange memoryOrDefault() {
    return memory == null ? DEFAULT_MEMORY : memory;
  }

  public MemoryRange diskOrDefault() {
    return disk == null ? DEFAULT_DISK : disk;
  }

  public GpuSpec gpuOrDefault() {
    return gpu == null ? DEFAULT_GPU : gpu;
  }
}
