package dev.bosun.agent;

import dev.bosun.agent.docker.ContainerSpec;
import dev.bosun.agent.docker.DockerException;
import dev.bosun.api.agent.JobContainer;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.state.TerminationReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a job into the container Docker creates for it: the job's commands under its shell, its
 * environment, exactly its GPUs (NVIDIA by UUID through the toolkit's device request, AMD by device
 * node), its CPUs and memory as limits, its mounts, {@code /dev/shm}, and its network (the host's
 * for multi-node and whole-host jobs, else a bridge with its ports published on 127.0.0.1).
 */
final class ContainerSpecs {
  private static final long MIB = 1024L * 1024;

  /** Variables that number GPUs on the host; inside the container the job's GPUs start at 0. */
  private static final Set<String> HOST_GPU_VARIABLES =
      Set.of("CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES");

  /**
   * Where the job's files ({@code BOSUN_MPI_HOSTFILE}, …) appear in the container: Docker copies
   * them in before the start, so the daemon needs no access to the agent's directories.
   */
  static final String FILES_DIR = "/run/bosun";

  private ContainerSpecs() {}

  /** Why a job's container cannot be set up, with the termination reason it ends with. */
  static final class SetupException extends Exception {
    private final TerminationReason reason;

    SetupException(TerminationReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    TerminationReason reason() {
      return reason;
    }
  }

  /**
   * @param hostGpus the host's GPUs, to tell NVIDIA from AMD ones
   * @param bridgeNetwork the network of containers that do not use the host's
   */
  static ContainerSpec of(
      JobSpec spec, JobDirectory directory, List<GpuDevice> hostGpus, String bridgeNetwork)
      throws SetupException {
    JobContainer container = spec.container();
    ContainerSpec.Builder builder =
        ContainerSpec.builder(container.image())
            .name("bosun-" + spec.jobId())
            .label(ContainerJobs.LABEL_JOB, spec.jobId())
            .label(ContainerJobs.LABEL_MANAGED, "true")
            .labels(container.labels())
            .init(true)
            .privileged(container.privileged());
    if (spec.runName() != null) {
      builder.label(ContainerJobs.LABEL_RUN, spec.runName());
    }
    String script = String.join(" && ", spec.commands());
    String workingDir = spec.workingDir();
    if (workingDir != null && workingDir.startsWith("/")) {
      builder.workingDir(workingDir);
    } else if (workingDir != null) {
      String quoted = "'" + workingDir.replace("'", "'\\''") + "'";
      script = "mkdir -p " + quoted + " && cd " + quoted + " && " + script;
    }
    if (container.entrypoint() != null) {
      builder.entrypoint(List.of(container.entrypoint().trim().split("\\s+"))).command(script);
    } else {
      String shell = spec.shell() == null ? "/bin/sh" : spec.shell();
      builder.entrypoint(List.of(shell, "-c")).command(script);
    }
    if (container.user() != null) {
      builder.user(container.user());
    }
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    HOST_GPU_VARIABLES.forEach(env::remove);
    gpus(spec, hostGpus, builder, env);
    for (String variable : spec.files().keySet()) {
      env.put(variable, FILES_DIR + "/" + fileName(variable)); // copied in before the start
    }
    builder.env(env);
    for (JobContainer.Mount mount : container.mounts()) {
      if (!Files.exists(Path.of(mount.hostPath()))) {
        if (mount.optional()) {
          continue;
        }
        throw new SetupException(
            TerminationReason.VOLUME_ERROR,
            "volume "
                + mount.hostPath()
                + ":"
                + mount.containerPath()
                + ": "
                + mount.hostPath()
                + " does not exist on this host; create it, or mark the volume optional");
      }
      builder.bind(mount.hostPath(), mount.containerPath(), false);
    }
    if (container.shmSizeMb() != null) {
      builder.shmSizeBytes(container.shmSizeMb() * MIB);
    }
    if (spec.cpus() > 0) {
      builder.nanoCpus(spec.cpus() * 1_000_000_000L);
    }
    if (spec.memoryMb() > 0) {
      builder.memoryBytes(spec.memoryMb() * MIB);
    }
    if (container.hostNetwork()) {
      builder.networkMode("host");
      for (int port : container.ports()) {
        requireFree(port);
      }
    } else {
      builder.networkMode(bridgeNetwork);
      for (int port : container.ports()) {
        builder.port(ContainerSpec.PortBinding.loopback(port));
      }
    }
    return builder.build();
  }

  /** The name of the job's file for {@code variable} in {@link #FILES_DIR}. */
  static String fileName(String variable) {
    return variable.toLowerCase(Locale.ROOT);
  }

  /** The job's files by their paths relative to the container's root. */
  static Map<String, String> files(JobSpec spec) {
    Map<String, String> files = new LinkedHashMap<>();
    spec.files()
        .forEach(
            (variable, content) ->
                files.put(FILES_DIR.substring(1) + "/" + fileName(variable), content));
    return files;
  }

  /** A job on the host's network listens on the host's ports: they must be free. */
  private static void requireFree(int port) throws SetupException {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(port));
    } catch (java.io.IOException e) {
      throw new SetupException(
          TerminationReason.PORTS_BINDING_FAILED,
          "port "
              + port
              + " is already taken on this host ("
              + e.getMessage()
              + "); the job uses the host's network, so stop what listens there or use another port");
    }
  }

  private static void gpus(
      JobSpec spec,
      List<GpuDevice> hostGpus,
      ContainerSpec.Builder builder,
      Map<String, String> env) {
    if (spec.gpuIndices().isEmpty()) {
      env.put("NVIDIA_VISIBLE_DEVICES", "void"); // an image's "all" must not reach the host's GPUs
      return;
    }
    boolean amd =
        hostGpus.stream()
            .filter(gpu -> spec.gpuIndices().contains(gpu.index()))
            .anyMatch(gpu -> "amd".equalsIgnoreCase(gpu.vendor()));
    if (amd) {
      builder.device(ContainerSpec.Device.of("/dev/kfd"));
      for (int index : spec.gpuIndices()) {
        builder.device(ContainerSpec.Device.of("/dev/dri/renderD" + (128 + index)));
      }
    } else {
      builder.deviceRequest(ContainerSpec.DeviceRequest.nvidiaGpus(spec.gpuUuids()));
      env.put("NVIDIA_VISIBLE_DEVICES", String.join(",", spec.gpuUuids()));
    }
  }

  /** A failure to start the container in words, with what to do. */
  static SetupException startFailure(DockerException e, JobSpec spec) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    JobContainer container = spec.container();
    if (lower.contains("port is already allocated") || lower.contains("address already in use")) {
      return new SetupException(
          TerminationReason.PORTS_BINDING_FAILED,
          "a port of the job is taken on this host: " + message);
    }
    if (lower.contains("could not select device driver")) {
      return new SetupException(
          TerminationReason.CREATING_CONTAINER_ERROR,
          "Docker on this host cannot pass GPUs to containers ("
              + message
              + "); install the NVIDIA Container Toolkit and run nvidia-ctk runtime configure");
    }
    if (lower.contains("unable to find user") || lower.contains("no matching entries in passwd")) {
      return new SetupException(
          TerminationReason.CREATING_CONTAINER_ERROR,
          "user '" + container.user() + "' does not exist in image " + container.image());
    }
    return new SetupException(
        TerminationReason.CREATING_CONTAINER_ERROR,
        "cannot start the container of image " + container.image() + ": " + message);
  }

  /** A failure to pull the image or create the container in words. */
  static SetupException createFailure(DockerException e, JobSpec spec) {
    String image = spec.container().image();
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e.kind() == DockerException.Kind.UNREACHABLE) {
      return new SetupException(TerminationReason.CREATING_CONTAINER_ERROR, message);
    }
    String lower = message.toLowerCase(Locale.ROOT);
    String hint =
        lower.contains("unauthorized")
                || lower.contains("no basic auth credentials")
                || lower.contains("access denied")
                || lower.contains("denied")
            ? spec.container().registryUsername() == null
                ? "; the image may be private: give registry_auth"
                : "; check registry_auth"
            : lower.contains("manifest unknown") || lower.contains("not found")
                ? "; check the image name and tag"
                : "";
    if (lower.contains("memory") && lower.contains("shm")) {
      hint = "; lower resources.shm_size";
    }
    return new SetupException(
        TerminationReason.CREATING_CONTAINER_ERROR,
        "cannot run image " + image + ": " + message + hint);
  }

  /** The registry of an image reference, for its credentials; empty for Docker Hub. */
  static String registry(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "";
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "";
  }
}
