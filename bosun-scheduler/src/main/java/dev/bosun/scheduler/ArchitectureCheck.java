package dev.bosun.scheduler;

import java.util.Locale;

/**
 * {@code cpu: x86:…} needs an {@code x86_64} or {@code amd64} host; {@code cpu: arm:…} needs an
 * {@code aarch64} or {@code arm64} one.
 */
final class ArchitectureCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    if (demand.arch() == null || demand.arch().equals(family(host.resources().arch()))) {
      return HostFit.FITS_NOW;
    }
    return HostFit.NEVER_FITS;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    return new Rejection.WrongArchitecture(host.resources().arch(), demand.arch());
  }

  private static String family(String hostArch) {
    return switch (hostArch.toLowerCase(Locale.ROOT)) {
      case "x86_64", "amd64", "x86", "x64" -> "x86";
      case "aarch64", "arm64", "arm" -> "arm";
      default -> hostArch;
    };
  }
}
