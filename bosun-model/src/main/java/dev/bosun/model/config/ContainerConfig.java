package dev.bosun.model.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The container a run's jobs run in, from the fields {@code image}, {@code python}, {@code
 * entrypoint}, {@code user}, {@code privileged}, {@code registry_auth} and {@code volumes} of
 * dstack's format. A run without any of them has no container: its jobs run as processes on the
 * host.
 *
 * <p>Exactly one of {@code image} and {@code python} is set, as in dstack, where they are mutually
 * exclusive: {@code python} asks for a base image with that Python version.
 *
 * @param image the Docker image reference as written, e.g. {@code
 *     pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime}; null when {@code python} is given
 * @param python the Python version of the base image, {@code "3.9"} to {@code "3.13"}; null when
 *     {@code image} is given
 * @param entrypoint a command line that replaces the image's entrypoint, as dstack's string; null
 *     for the image's own
 * @param user the user the commands run as inside the container: a name or uid, optionally with a
 *     group as {@code USER:GROUP} (e.g. {@code 1000:1000}); null for the image's user
 * @param privileged whether the container runs privileged; false when not given
 * @param registryAuth the credentials to pull {@code image} with; null for none. Its {@link
 *     RegistryAuth#toString()} masks the password
 * @param volumes host directories mounted into the container, each on its own container path
 */
public record ContainerConfig(
    String image,
    String python,
    String entrypoint,
    String user,
    boolean privileged,
    RegistryAuth registryAuth,
    List<InstanceVolume> volumes) {
  public ContainerConfig {
    if ((image == null) == (python == null)) {
      throw new IllegalArgumentException(
          image == null
              ? "a container needs image or python"
              : "image and python are mutually exclusive");
    }
    if (image != null) {
      ContainerFieldRules.image(image);
    }
    if (python != null) {
      ContainerFieldRules.python(python);
    }
    if (entrypoint != null) {
      ContainerFieldRules.entrypoint(entrypoint);
    }
    if (user != null) {
      ContainerFieldRules.user(user);
    }
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    Map<String, Integer> mountPoints = new HashMap<>();
    for (int i = 0; i < volumes.size(); i++) {
      Integer first = mountPoints.putIfAbsent(volumes.get(i).mountPoint(), i);
      if (first != null) {
        throw new IllegalArgumentException(
            "volumes "
                + first
                + " and "
                + i
                + " are both mounted on "
                + volumes.get(i).mountPoint()
                + "; each container path takes one volume");
      }
    }
  }

  /** A container of {@code image} with every other field left out. */
  public static ContainerConfig ofImage(String image) {
    return new ContainerConfig(
        Objects.requireNonNull(image, "image is null"), null, null, null, false, null, null);
  }

  /** A container of a base image with Python {@code version} ({@code "3.9"} to {@code "3.13"}). */
  public static ContainerConfig ofPython(String version) {
    return new ContainerConfig(
        null, Objects.requireNonNull(version, "version is null"), null, null, false, null, null);
  }

  /**
   * The credentials of a private registry, from {@code registry_auth: {username, password}}. The
   * password is a secret: {@link #toString()} masks it, so that logging a configuration never shows
   * it.
   *
   * @param username the registry user name, not blank
   * @param password the password or token, not blank, as written in the file
   */
  public record RegistryAuth(String username, String password) {
    public RegistryAuth {
      ContainerFieldRules.credential(
          "username", Objects.requireNonNull(username, "username is null"));
      ContainerFieldRules.credential(
          "password", Objects.requireNonNull(password, "password is null"));
    }

    /** The user name with the password masked: {@code RegistryAuth[username=me, password=***]}. */
    @Override
    public String toString() {
      return "RegistryAuth[username=" + username + ", password=***]";
    }
  }
}
