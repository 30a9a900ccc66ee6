package dev.bosun.model.config;

import java.util.Objects;

/**
 * A directory of the host mounted into a run's container, as dstack's instance volumes: written
 * {@code /host/path:/container/path}, or as a mapping {@code {instance_path: /host/path, path:
 * /container/path, optional: true}}.
 *
 * @param hostPath the absolute path on the host, without {@code ..} segments
 * @param containerPath the absolute path inside the container, without {@code ..} segments, not
 *     {@code /}
 * @param optional whether the job starts without the mount on a host that lacks {@code hostPath};
 *     when false such a host cannot run the job. The string form is never optional
 */
public record InstanceVolume(String hostPath, String containerPath, boolean optional) {
  public InstanceVolume {
    ContainerFieldRules.hostPath(Objects.requireNonNull(hostPath, "hostPath is null"));
    ContainerFieldRules.containerPath(
        Objects.requireNonNull(containerPath, "containerPath is null"));
  }

  /**
   * Parses {@code /host/path:/container/path}; throws {@link IllegalArgumentException} for the
   * user, naming network volumes ({@code my-vol:/data}) as coming in a later release.
   */
  public static InstanceVolume parse(String text) {
    return ContainerFieldRules.volume(Objects.requireNonNull(text, "text is null"));
  }

  /**
   * The container path as a mount point: without repeated or trailing {@code /} or {@code .}
   * segments, so that {@code /data/} and {@code /data} compare equal.
   */
  public String mountPoint() {
    return ContainerFieldRules.normalized(containerPath);
  }

  /**
   * The string form {@link #parse} reads when not optional; the mapping form's fields otherwise.
   */
  @Override
  public String toString() {
    return optional
        ? "{instance_path: " + hostPath + ", path: " + containerPath + ", optional: true}"
        : hostPath + ":" + containerPath;
  }
}
