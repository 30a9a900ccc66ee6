package dev.bosun.api.agent;

import java.util.List;
import java.util.Objects;

/**
 * How the agent runs a job in a Docker container instead of as a process: the job's commands run
 * under its shell inside the image, with exactly the job's GPUs, CPUs and memory.
 *
 * @param image the image reference, pulled when the host does not have it
 * @param entrypoint the image's entrypoint replaced by this command line, or null to run the
 *     commands with the shell as entrypoint
 * @param user the user (name or uid[:gid]) in the container, or null for the image's
 * @param privileged whether the container is privileged
 * @param registryUsername the registry user for a private image, or null
 * @param registryPassword the registry password or token, or null; never logged
 * @param mounts host directories mounted into the container
 * @param shmSizeMb the size of {@code /dev/shm} in MiB, or null for Docker's default
 * @param hostNetwork whether the container uses the host's network (multi-node and whole-host
 *     jobs); otherwise its own network with {@code ports} published on 127.0.0.1
 * @param ports container ports to publish (bridge network only)
 * @param pullTimeoutSeconds how long pulling the image may take
 * @param labels labels the server puts on the container (its project, run id and the job's
 *     generation — its retry number), besides the agent's own
 */
public record JobContainer(
    String image,
    String entrypoint,
    String user,
    boolean privileged,
    String registryUsername,
    String registryPassword,
    List<Mount> mounts,
    Long shmSizeMb,
    boolean hostNetwork,
    List<Integer> ports,
    long pullTimeoutSeconds,
    java.util.Map<String, String> labels) {
  public JobContainer {
    Objects.requireNonNull(image, "image is null");
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    ports = ports == null ? List.of() : List.copyOf(ports);
    labels = labels == null ? java.util.Map.of() : java.util.Map.copyOf(labels);
  }

  /** A container without server labels. */
  public JobContainer(
      String image,
      String entrypoint,
      String user,
      boolean privileged,
      String registryUsername,
      String registryPassword,
      List<Mount> mounts,
      Long shmSizeMb,
      boolean hostNetwork,
      List<Integer> ports,
      long pullTimeoutSeconds) {
    this(
        image,
        entrypoint,
        user,
        privileged,
        registryUsername,
        registryPassword,
        mounts,
        shmSizeMb,
        hostNetwork,
        ports,
        pullTimeoutSeconds,
        null);
  }

  /**
   * A host directory mounted into the container.
   *
   * @param optional when true, a host path that does not exist is left out instead of failing the
   *     job
   */
  public record Mount(String hostPath, String containerPath, boolean optional) {}

  @Override
  public String toString() {
    return "JobContainer[image="
        + image
        + ", entrypoint="
        + entrypoint
        + ", user="
        + user
        + ", privileged="
        + privileged
        + ", registryUsername="
        + registryUsername
        + ", registryPassword="
        + (registryPassword == null ? "null" : "***")
        + ", mounts="
        + mounts
        + ", shmSizeMb="
        + shmSizeMb
        + ", hostNetwork="
        + hostNetwork
        + ", ports="
        + ports
        + ", labels="
        + labels
        + "]";
  }
}
