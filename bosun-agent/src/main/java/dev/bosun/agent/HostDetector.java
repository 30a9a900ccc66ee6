package dev.bosun.agent;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects what this host offers. Run once at agent start; every probe falls back to a safe value on
 * failure.
 */
final class HostDetector {
  private static final Logger LOG = LoggerFactory.getLogger(HostDetector.class);
  private static final long MIB = 1024 * 1024;

  private final Path dataDir;
  private final SearchPath searchPath;

  HostDetector(Path dataDir, SearchPath searchPath) {
    this.dataDir = dataDir;
    this.searchPath = searchPath;
  }

  HostResources detect() {
    List<String> addresses = addresses();
    HostResources resources =
        new HostResources(
            hostname(),
            arch(System.getProperty("os.arch")),
            Runtime.getRuntime().availableProcessors(),
            memoryMb(),
            diskMb(),
            gpus(),
            addresses.isEmpty() ? "127.0.0.1" : addresses.getFirst(),
            addresses);
    LOG.info(
        "host {}: {} {} CPUs, {} MiB memory, {} MiB free disk, {} GPU(s), internal IP {}",
        resources.hostname(),
        resources.arch(),
        resources.cpus(),
        resources.memoryMb(),
        resources.diskMb(),
        resources.gpus().size(),
        resources.internalIp());
    return resources;
  }

  /** {@code uname -m} spelling of a Java {@code os.arch}. */
  static String arch(String javaArch) {
    return switch (javaArch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> javaArch;
    };
  }

  /** {@code MemTotal} of a {@code /proc/meminfo} text, in MiB; 0 when absent. */
  static long memTotalMb(List<String> meminfo) {
    for (String line : meminfo) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
        try {
          return Long.parseLong(parts[0]) / 1024;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** NVIDIA GPUs from {@code nvidia-smi}, then AMD GPUs from {@code amd-smi}, where present. */
  private List<GpuDevice> gpus() {
    List<GpuDevice> gpus = new ArrayList<>();
    searchPath.find("nvidia-smi").map(NvidiaSmi::detect).ifPresent(gpus::addAll);
    searchPath.find("amd-smi", "/opt/rocm/bin/amd-smi").map(AmdSmi::detect).ifPresent(gpus::addAll);
    return List.copyOf(gpus);
  }

  private static String hostname() {
    for (Path file : List.of(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname"))) {
      try {
        String name = Files.readString(file).strip();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException e) {
        // try the next source
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static long memoryMb() {
    try {
      return memTotalMb(Files.readAllLines(Path.of("/proc/meminfo")));
    } catch (IOException e) {
      LOG.warn("cannot read /proc/meminfo: {}; reporting 0 MiB memory", e.toString());
      return 0;
    }
  }

  private long diskMb() {
    try {
      return Files.getFileStore(dataDir).getUsableSpace() / MIB;
    } catch (IOException e) {
      LOG.warn("cannot read the free space of {}: {}", dataDir, e.toString());
      return 0;
    }
  }

  /** IPv4 addresses of the interfaces that are up, loopback excluded, in interface order. */
  private static List<String> addresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(HostDetector::isUpAndNotLoopback)
          .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
          .flatMap(NetworkInterface::inetAddresses)
          .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
          .map(InetAddress::getHostAddress)
          .distinct()
          .toList();
    } catch (SocketException e) {
      LOG.warn("cannot list network interfaces: {}", e.toString());
      return List.of();
    }
  }

  private static boolean isUpAndNotLoopback(NetworkInterface network) {
    try {
      return network.isUp() && !network.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
