package dev.bosun.agent.docker;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container is created from ({@code POST /containers/create}): the image and process, and
 * the host settings that matter for AI jobs (mounts, ports, shared memory, CPU and memory limits,
 * network, GPUs and other devices). Build one with {@link #builder(String)}.
 *
 * @param name the container's name, or null for one Docker makes up
 * @param image the image reference, e.g. {@code pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime}
 * @param command the command and its arguments; empty for the image's own
 * @param entrypoint the entrypoint; empty for the image's own
 * @param env environment variables, in order
 * @param user {@code name}, {@code uid} or {@code uid:gid}, or null for the image's user
 * @param workingDir the working directory, or null for the image's
 * @param labels labels to find the container by later
 * @param tty whether the process gets a terminal; without one, logs keep stdout and stderr apart
 * @param binds host paths mounted into the container
 * @param ports container ports published on the host
 * @param shmSizeBytes the size of {@code /dev/shm}; 0 for Docker's default (64 MiB)
 * @param nanoCpus CPU limit in billionths of a CPU; 0 for none
 * @param memoryBytes memory limit; 0 for none
 * @param networkMode {@code host}, {@code bridge}, {@code none} or a network's name; null for
 *     Docker's default
 * @param privileged whether the container gets all capabilities and devices
 * @param deviceRequests devices a driver provides, e.g. NVIDIA GPUs by UUID
 * @param devices host device nodes to pass through, e.g. {@code /dev/kfd}
 * @param init whether Docker's init runs as PID 1, forwarding signals and reaping zombies
 * @param runtime the OCI runtime, e.g. {@code nvidia}; null for the daemon's default
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> command,
    List<String> entrypoint,
    Map<String, String> env,
    String user,
    String workingDir,
    Map<String, String> labels,
    boolean tty,
    List<Bind> binds,
    List<PortBinding> ports,
    long shmSizeBytes,
    long nanoCpus,
    long memoryBytes,
    String networkMode,
    boolean privileged,
    List<DeviceRequest> deviceRequests,
    List<Device> devices,
    boolean init,
    String runtime) {

  public ContainerSpec {
    requireNonNull(image, "image is null");
    if (image.isBlank()) {
      throw new IllegalArgumentException("image is blank");
    }
    command = List.copyOf(command);
    entrypoint = List.copyOf(entrypoint);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    binds = List.copyOf(binds);
    ports = List.copyOf(ports);
    deviceRequests = List.copyOf(deviceRequests);
    devices = List.copyOf(devices);
    if (shmSizeBytes < 0 || nanoCpus < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException("shm size, CPU and memory limits must not be negative");
    }
  }

  /** A spec for {@code image} with init on and everything else at Docker's defaults. */
  public static Builder builder(String image) {
    return new Builder(image);
  }

  /**
   * A host path mounted into the container: {@code host:container[:ro]}.
   *
   * @param hostPath an absolute path on the host
   * @param containerPath an absolute path in the container
   * @param readOnly whether the container may only read it
   */
  public record Bind(String hostPath, String containerPath, boolean readOnly) {
    public Bind {
      requireNonNull(hostPath, "hostPath is null");
      requireNonNull(containerPath, "containerPath is null");
    }

    /** As Docker's {@code HostConfig.Binds} writes it. */
    public String toDockerString() {
      return hostPath + ":" + containerPath + (readOnly ? ":ro" : "");
    }
  }

  /**
   * A container port published on the host.
   *
   * @param containerPort the port inside the container
   * @param protocol {@code tcp} or {@code udp}
   * @param hostIp the host address to listen on, e.g. {@code 127.0.0.1}; empty for all
   * @param hostPort the host port; 0 for one Docker picks (see {@link ContainerInfo#ports()})
   */
  public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
    public PortBinding {
      requireNonNull(protocol, "protocol is null");
      hostIp = hostIp == null ? "" : hostIp;
      if (containerPort < 1 || containerPort > 65535 || hostPort < 0 || hostPort > 65535) {
        throw new IllegalArgumentException("bad port binding " + hostPort + "->" + containerPort);
      }
    }

    /** {@code containerPort}/tcp on a port Docker picks on the host's loopback. */
    public static PortBinding loopback(int containerPort) {
      return new PortBinding(containerPort, "tcp", "127.0.0.1", 0);
    }
  }

  /**
   * Devices a driver provides ({@code HostConfig.DeviceRequests}).
   *
   * @param driver e.g. {@code nvidia}
   * @param count how many devices when no ids are given; -1 for all
   * @param deviceIds the devices by id, e.g. NVIDIA GPU UUIDs
   * @param capabilities alternatives of capability sets, e.g. {@code [["gpu"]]}
   */
  public record DeviceRequest(
      String driver, int count, List<String> deviceIds, List<List<String>> capabilities) {
    public DeviceRequest {
      requireNonNull(driver, "driver is null");
      deviceIds = List.copyOf(deviceIds);
      capabilities = capabilities.stream().map(List::copyOf).toList();
    }

    /** The NVIDIA GPUs with these UUIDs ({@code GPU-...}). */
    public static DeviceRequest nvidiaGpus(List<String> uuids) {
      return new DeviceRequest("nvidia", 0, uuids, List.of(List.of("gpu")));
    }
  }

  /**
   * A host device node passed through ({@code HostConfig.Devices}).
   *
   * @param hostPath e.g. {@code /dev/dri/renderD128}
   * @param containerPath where it appears in the container
   * @param permissions cgroup permissions, e.g. {@code rwm}
   */
  public record Device(String hostPath, String containerPath, String permissions) {
    public Device {
      requireNonNull(hostPath, "hostPath is null");
      requireNonNull(containerPath, "containerPath is null");
      requireNonNull(permissions, "permissions is null");
    }

    /** The device at the same path in the container, readable, writable and creatable. */
    public static Device of(String path) {
      return new Device(path, path, "rwm");
    }
  }

  /** Builds a {@link ContainerSpec}; every setter returns the builder. */
  public static final class Builder {
    private final String image;
    private String name;
    private List<String> command = List.of();
    private List<String> entrypoint = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String user;
    private String workingDir;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private boolean tty;
    private final List<Bind> binds = new ArrayList<>();
    private final List<PortBinding> ports = new ArrayList<>();
    private long shmSizeBytes;
    private long nanoCpus;
    private long memoryBytes;
    private String networkMode;
    private boolean privileged;
    private final List<DeviceRequest> deviceRequests = new ArrayList<>();
    private final List<Device> devices = new ArrayList<>();
    private boolean init = true;
    private String runtime;

    private Builder(String image) {
      this.image = image;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder command(String... command) {
      return command(List.of(command));
    }

    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = entrypoint;
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder workingDir(String workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    public Builder label(String name, String value) {
      labels.put(name, value);
      return this;
    }

    public Builder labels(Map<String, String> more) {
      labels.putAll(more);
      return this;
    }

    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    public Builder bind(String hostPath, String containerPath, boolean readOnly) {
      binds.add(new Bind(hostPath, containerPath, readOnly));
      return this;
    }

    public Builder port(PortBinding port) {
      ports.add(port);
      return this;
    }

    public Builder shmSizeBytes(long bytes) {
      this.shmSizeBytes = bytes;
      return this;
    }

    public Builder nanoCpus(long nanoCpus) {
      this.nanoCpus = nanoCpus;
      return this;
    }

    public Builder memoryBytes(long bytes) {
      this.memoryBytes = bytes;
      return this;
    }

    public Builder networkMode(String networkMode) {
      this.networkMode = networkMode;
      return this;
    }

    public Builder privileged(boolean privileged) {
      this.privileged = privileged;
      return this;
    }

    public Builder deviceRequest(DeviceRequest request) {
      deviceRequests.add(request);
      return this;
    }

    public Builder device(Device device) {
      devices.add(device);
      return this;
    }

    public Builder init(boolean init) {
      this.init = init;
      return this;
    }

    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(
          name,
          image,
          command,
          entrypoint,
          env,
          user,
          workingDir,
          labels,
          tty,
          binds,
          ports,
          shmSizeBytes,
          nanoCpus,
          memoryBytes,
          networkMode,
          privileged,
          deviceRequests,
          devices,
          init,
          runtime);
    }
  }
}
