package dev.bosun.scheduler;

import java.util.Locale;
import java.util.Optional;

/** {@code cpu: x86:…} needs an {@code x86_64}/{@code amd64} host, {@code cpu: arm:…} an {@code aarch64}/{@code arm64} one. */
final class ArchitectureCheck implements FeasibilityCheck {
  @Override
  public Optional<Rejection> check(RunDemand demand, HostCapacity host) {
    if (demand.arch() == null) {
      return Optional.empty();
    }
    String hostArch = host.resources().arch();
    if (demand.arch().equals(family(hostArch))) {
      return Optional.empty();
    }
    return Optional.of(new Rejection.WrongArchitecture(hostArch, demand.arch()));
  }

  private static String family(String hostArch) {
    return switch (hostArch.toLowerCase(Locale.ROOT)) {
      case "x86_64", "amd64", "x86", "x64" -> "x86";
      case "aarch64", "arm64", "arm" -> "arm";
      default -> hostArch;
    };
  }
}
