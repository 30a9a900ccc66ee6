package dev.bosun.model.host;

/**
 * Whether a host can run jobs in containers, as its agent found Docker at start.
 *
 * @param version the Docker Engine version, or null when Docker cannot be used
 * @param gpus whether containers can be given the host's GPUs (NVIDIA: the {@code nvidia} runtime
 *     of the NVIDIA Container Toolkit; AMD: {@code /dev/kfd}); false on a host without GPUs
 * @param problem why containers cannot run here, or why they cannot get GPUs, with what to install;
 *     null when all is well
 */
public record ContainerRuntime(String version, boolean gpus, String problem) {
  /** Docker is not usable on the host, for the reason given. */
  public static ContainerRuntime unavailable(String problem) {
    return new ContainerRuntime(null, false, problem);
  }

  /** Whether containers can run at all. */
  public boolean available() {
    return version != null;
  }
}
