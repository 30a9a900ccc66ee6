package dev.bosun.agent.docker;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container as {@code GET /containers/{id}/json} describes it: its state, the host ports its
 * published ports are actually bound to, its labels and the limits and devices it was created with.
 *
 * @param id the full container id
 * @param name the name, without Docker's leading {@code /}
 * @param image the image reference it was created from
 * @param labels its labels
 * @param state where it is in its life
 * @param ports the published ports with the host ports Docker bound (only while it runs)
 * @param tty whether it has a terminal
 * @param memoryBytes its memory limit, 0 for none
 * @param nanoCpus its CPU limit, 0 for none
 * @param shmSizeBytes the size of its {@code /dev/shm}
 * @param networkMode its network mode
 * @param deviceRequests the device requests it was created with
 * @param env its environment as {@code NAME=value} entries (the image's and the ones it was created
 *     with)
 * @param user the user it runs as (name or uid[:gid]), or an empty string for the image's default
 * @param workingDir its working directory, or an empty string for {@code /}
 * @param ipAddress its address on its first network that gives it one, or an empty string (host
 *     network, no network, or not running)
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    Map<String, String> labels,
    State state,
    List<PublishedPort> ports,
    boolean tty,
    long memoryBytes,
    long nanoCpus,
    long shmSizeBytes,
    String networkMode,
    List<ContainerSpec.DeviceRequest> deviceRequests,
    List<String> env,
    String user,
    String workingDir,
    String ipAddress) {

  public ContainerInfo {
    requireNonNull(id, "id is null");
    requireNonNull(state, "state is null");
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    deviceRequests = List.copyOf(deviceRequests);
    env = env == null ? List.of() : List.copyOf(env);
    user = user == null ? "" : user;
    workingDir = workingDir == null ? "" : workingDir;
    ipAddress = ipAddress == null ? "" : ipAddress;
  }

  /** The host port bound to {@code containerPort}/tcp, if there is one. */
  public Optional<PublishedPort> hostPort(int containerPort) {
    return ports.stream()
        .filter(port -> port.containerPort() == containerPort && port.protocol().equals("tcp"))
        .findFirst();
  }

  /**
   * A container's state.
   *
   * @param status {@code created}, {@code running}, {@code paused}, {@code restarting}, {@code
   *     removing}, {@code exited} or {@code dead}
   * @param running whether its process runs
   * @param exitCode the exit status of its process once it ended (128+n when killed by signal n)
   * @param oomKilled whether the kernel's OOM killer ended it
   * @param error why Docker could not start it, or an empty string
   * @param pid the process id on the host while it runs, else 0
   * @param startedAt when it last started, or null if never
   * @param finishedAt when it last ended, or null if never; for a container that ran for a moment
   *     Docker may record this a little before {@code startedAt}
   */
  public record State(
      String status,
      boolean running,
      int exitCode,
      boolean oomKilled,
      String error,
      long pid,
      Instant startedAt,
      Instant finishedAt) {

    /** Whether it has run and ended (not merely been created). */
    public boolean hasExited() {
      return status.equals("exited") || status.equals("dead");
    }
  }

  /**
   * A published port and where Docker bound it on the host.
   *
   * @param containerPort the port inside the container
   * @param protocol {@code tcp} or {@code udp}
   * @param hostIp the host address, e.g. {@code 127.0.0.1}
   * @param hostPort the host port
   */
  public record PublishedPort(int containerPort, String protocol, String hostIp, int hostPort) {}
}
