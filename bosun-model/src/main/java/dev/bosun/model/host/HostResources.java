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
 * @param addresses every IPv4 address of the host's interfaces that are up, loopback excluded, in
 *     interface order; the server picks the internal IP among them by the fleet's {@code network}
 * @param containers whether Docker can run the host's container jobs, or null when the agent did
 *     not look (agents before containers)
 */
public record HostResources(
    String hostname,
    String arch,
    int cpus,
    long memoryMb,
    long diskMb,
    List<GpuDevice> gpus,
    String internalIp,
    List<String> addresses,
    ContainerRuntime containers) {
  public HostResources {
    Objects.requireNonNull(hostname, "hostname is null");
    Objects.requireNonNull(arch, "arch is null");
    gpus = List.copyOf(gpus);
    addresses =
        addresses != null
            ? List.copyOf(addresses)
            : internalIp == null ? List.of() : List.of(internalIp);
  }

  /** A host whose only known address is its internal IP. */
  public HostResources(
      String hostname,
      String arch,
      int cpus,
      long memoryMb,
      long diskMb,
      List<GpuDevice> gpus,
      String internalIp) {
    this(hostname, arch, cpus, memoryMb, diskMb, gpus, internalIp, null, null);
  }

  /** A host whose container support is not known. */
  public HostResources(
      String hostname,
      String arch,
      int cpus,
      long memoryMb,
      long diskMb,
      List<GpuDevice> gpus,
      String internalIp,
      List<String> addresses) {
    this(hostname, arch, cpus, memoryMb, diskMb, gpus, internalIp, addresses, null);
  }

  /** The same host with what its agent found out about Docker. */
  public HostResources withContainers(ContainerRuntime runtime) {
    return new HostResources(
        hostname, arch, cpus, memoryMb, diskMb, gpus, internalIp, addresses, runtime);
  }

  /** The same host, known to the fleet by {@code ip}. */
  public HostResources withInternalIp(String ip) {
    return new HostResources(
        hostname, arch, cpus, memoryMb, diskMb, gpus, ip, addresses, containers);
  }
}
