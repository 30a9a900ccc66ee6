package dev.bosun.agent.docker;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * What a Docker daemon says about itself ({@code GET /version} and {@code GET /info}).
 *
 * @param serverVersion the engine's version, e.g. {@code 20.10.24+dfsg1}
 * @param apiVersion the newest Engine API version the daemon serves, e.g. {@code 1.41}
 * @param runtimes the names of the OCI runtimes it knows, e.g. {@code runc}, {@code nvidia}
 * @param defaultRuntime the runtime containers get when they name none
 * @param memoryBytes the host's memory as the daemon sees it
 * @param cpus the host's CPUs as the daemon sees them
 * @param cgroupVersion {@code 1} or {@code 2}
 */
public record DockerHost(
    String serverVersion,
    String apiVersion,
    Set<String> runtimes,
    String defaultRuntime,
    long memoryBytes,
    int cpus,
    String cgroupVersion) {

  public DockerHost {
    requireNonNull(serverVersion, "serverVersion is null");
    requireNonNull(apiVersion, "apiVersion is null");
    runtimes = Set.copyOf(runtimes);
  }

  /**
   * Whether containers here can be given NVIDIA GPUs: the daemon knows the {@code nvidia} runtime
   * (the NVIDIA Container Toolkit registers it). Kept simple on purpose: CDI devices are not looked
   * at.
   */
  public boolean gpuSupport() {
    return runtimes.contains("nvidia");
  }
}
