package dev.bosun.agent;

import dev.bosun.agent.docker.DockerClient;
import dev.bosun.agent.docker.DockerException;
import dev.bosun.agent.docker.DockerHost;
import dev.bosun.model.host.ContainerRuntime;
import dev.bosun.model.host.GpuDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out at agent start whether the host's Docker can run container jobs and give them the
 * host's GPUs, and says what to install when it cannot.
 */
final class ContainerRuntimes {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntimes.class);

  private ContainerRuntimes() {}

  /**
   * Whether Docker works now, asked again at most every {@link #FRESH} so that the server learns
   * when a host's Docker stops or comes back.
   */
  static final class Probe {
    static final java.time.Duration FRESH = java.time.Duration.ofSeconds(5);
    private final Supplier<DockerClient> docker;
    private final List<GpuDevice> gpus;
    private ContainerRuntime last;
    private long lastAt;

    Probe(Supplier<DockerClient> docker, List<GpuDevice> gpus) {
      this.docker = docker;
      this.gpus = List.copyOf(gpus);
    }

    synchronized ContainerRuntime now() {
      long at = System.nanoTime();
      if (last == null || at - lastAt > FRESH.toNanos()) {
        ContainerRuntime found = detect(docker, gpus, last == null);
        if (last != null && !found.equals(last)) {
          LOG.info(
              "containers: {}", found.available() ? "Docker " + found.version() : found.problem());
        }
        last = found;
        lastAt = at;
      }
      return last;
    }
  }

  static ContainerRuntime detect(Supplier<DockerClient> docker, List<GpuDevice> gpus) {
    return detect(docker, gpus, true);
  }

  private static ContainerRuntime detect(
      Supplier<DockerClient> docker, List<GpuDevice> gpus, boolean log) {
    DockerHost host;
    try {
      host = docker.get().host();
    } catch (DockerException | IllegalArgumentException e) {
      String problem =
          e instanceof DockerException d && d.kind() == DockerException.Kind.UNREACHABLE
              ? e.getMessage()
                  + " (install Docker, e.g. apt-get install docker.io, and start it; the agent's"
                  + " user must be allowed to use its socket)"
              : e.getMessage();
      if (log) {
        LOG.info("containers: not available: {}", problem);
      }
      return ContainerRuntime.unavailable(problem);
    }
    boolean nvidia = gpus.stream().anyMatch(gpu -> !"amd".equalsIgnoreCase(gpu.vendor()));
    boolean amd = gpus.stream().anyMatch(gpu -> "amd".equalsIgnoreCase(gpu.vendor()));
    ContainerRuntime runtime;
    if (nvidia && !host.gpuSupport()) {
      runtime =
          new ContainerRuntime(
              host.serverVersion(),
              false,
              "Docker "
                  + host.serverVersion()
                  + " has no nvidia runtime, so containers cannot get the GPUs: install the NVIDIA"
                  + " Container Toolkit and run nvidia-ctk runtime configure --runtime=docker");
    } else if (amd && !Files.exists(Path.of("/dev/kfd"))) {
      runtime =
          new ContainerRuntime(
              host.serverVersion(),
              false,
              "/dev/kfd is missing, so containers cannot get the AMD GPUs: load the amdgpu driver");
    } else {
      runtime = new ContainerRuntime(host.serverVersion(), nvidia || amd, null);
    }
    if (log) {
      LOG.info(
          "containers: Docker {} (runtimes {}){}",
          host.serverVersion(),
          host.runtimes(),
          runtime.problem() == null ? "" : "; " + runtime.problem());
    }
    return runtime;
  }
}
