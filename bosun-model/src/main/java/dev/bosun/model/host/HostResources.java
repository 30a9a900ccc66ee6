package dev.bosun.model.host;

import java.util.List;
import java.util.Objects;

/**
 * What a host offers, as its agent detected it.
 *
 * @param hostname the host name
 * @param arch {@code x86_64} or {@code aarch64}
 * @param cpus logical CPUs
 * @param memoryMb total memory in MiB
 * @param diskMb free disk in MiB under the agent's data directory
 * @param gpus GPUs in index order
 * @param internalIp the address other hosts of the fleet reach it on
 */
public record HostResources(
    String hostname,
    String arch,
    int cpus,
    long memoryMb,
    long diskMb,
    List<GpuDevice> gpus,
    String internalIp) {
  public HostResources {
    Objects.requireNonNull(hostname, "hostname is null");
    Objects.requireNonNull(arch, "arch is null");
    gpus = List.copyOf(gpus);
  }
}
