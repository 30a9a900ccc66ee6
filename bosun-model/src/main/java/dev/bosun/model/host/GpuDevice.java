package dev.bosun.model.host;

import java.util.Objects;

/**
 * One GPU of a host as the agent detected it.
 *
 * @param index the device index as the driver numbers it ({@code nvidia-smi} index)
 * @param uuid the device UUID, stable across reboots
 * @param vendor {@code nvidia} or {@code amd}
 * @param name the model name without vendor prefix, e.g. {@code H100 80GB HBM3}
 * @param memoryMb device memory in MiB
 * @param driverVersion the driver version string
 * @param computeCapability the NVIDIA compute capability such as {@code 9.0}, or null when unknown
 *     (AMD GPUs, drivers too old to report it)
 */
public record GpuDevice(
    int index,
    String uuid,
    String vendor,
    String name,
    long memoryMb,
    String driverVersion,
    String computeCapability) {
  public GpuDevice {
    Objects.requireNonNull(uuid, "uuid is null");
    Objects.requireNonNull(vendor, "vendor is null");
    Objects.requireNonNull(name, "name is null");
  }

  /** A GPU whose compute capability is not known. */
  public GpuDevice(
      int index, String uuid, String vendor, String name, long memoryMb, String driverVersion) {
    this(index, uuid, vendor, name, memoryMb, driverVersion, null);
  }
}
