package dev.bosun.agent.ssh;

import dev.bosun.agent.docker.ContainerInfo;
import dev.bosun.agent.docker.DockerClient;
import dev.bosun.agent.docker.DockerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a session enters a running container, read from Docker and from the container's own files at
 * the start of each session: the container's main process (whose namespaces the session enters),
 * its environment, the user (the job's, else the image's) with its group and home from the
 * container's {@code /etc/passwd} and {@code /etc/group}, the working directory, the address
 * forwarded ports go to, and the cgroups the session joins so that the container's limits hold for
 * it too.
 *
 * @param pid the container's main process as the host sees it
 * @param env the container's environment, with {@code HOME} of the user when it has none
 * @param workingDir where sessions start, inside the container
 * @param ipAddress where forwarded ports go first: the container's address, empty when it has none
 *     (then only its loopback is reached, through a {@link ContainerRelay}), or {@code 127.0.0.1}
 *     on the host's network
 * @param shell runs exec requests
 * @param interactiveShell runs interactive sessions: the job's shell, else bash when the image has
 *     it, else {@code /bin/sh}
 * @param cgroupProcs the {@code cgroup.procs} files of the container's cgroups
 */
record ContainerEntry(
    String jobId,
    long pid,
    Map<String, String> env,
    int uid,
    int gid,
    String workingDir,
    String ipAddress,
    String shell,
    String interactiveShell,
    List<Path> cgroupProcs) {

  /** The container's root directory as the host sees it. */
  Path root() {
    return Path.of("/proc", Long.toString(pid), "root");
  }

  static ContainerEntry of(DockerClient docker, SshJob.ContainerJob job)
      throws JobUnavailableException {
    ContainerInfo info;
    try {
      info = docker.inspectContainer(job.containerId());
    } catch (DockerException e) {
      throw new JobUnavailableException(
          "cannot inspect the container of job " + job.jobId() + ": " + e.getMessage(), e);
    }
    if (!info.state().running() || info.state().pid() <= 0) {
      throw new JobUnavailableException(
          "the container of job " + job.jobId() + " is " + info.state().status());
    }
    long pid = info.state().pid();
    Path root = Path.of("/proc", Long.toString(pid), "root");
    String user = job.user() != null ? job.user() : info.user();
    int[] ids = ids(root, user, job.jobId());
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : info.env()) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        env.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    env.putIfAbsent(
        "HOME",
        passwd(root).stream()
            .filter(line -> line.length > 5 && line[2].equals(Integer.toString(ids[0])))
            .map(line -> line[5])
            .findFirst()
            .orElse(ids[0] == 0 ? "/root" : "/"));
    String shell = job.shell() != null ? job.shell() : "/bin/sh";
    String interactive =
        job.shell() != null
            ? job.shell()
            : Files.isExecutable(ContainerRoot.resolve(root, "/bin/bash", true))
                ? "/bin/bash"
                : "/bin/sh";
    return new ContainerEntry(
        job.jobId(),
        pid,
        Map.copyOf(env),
        ids[0],
        ids[1],
        workingDir(info.workingDir(), job.workingDir()),
        job.hostNetwork() ? "127.0.0.1" : info.ipAddress(),
        shell,
        interactive,
        cgroupProcs(pid));
  }

  /** The image's working directory, or the job's: absolute, or relative to the image's. */
  static String workingDir(String imageDir, String jobDir) {
    String base = imageDir == null || imageDir.isEmpty() ? "/" : imageDir;
    if (jobDir == null || jobDir.isBlank()) {
      return base;
    }
    if (jobDir.startsWith("/")) {
      return jobDir;
    }
    return Path.of(base).resolve(jobDir).normalize().toString();
  }

  /** {@code [uid, gid]} of a Docker user spec: {@code name|uid[:group|gid]}, empty for root. */
  private static int[] ids(Path root, String user, String jobId) throws JobUnavailableException {
    if (user == null || user.isEmpty()) {
      return new int[] {0, 0};
    }
    String[] parts = user.split(":", 2);
    List<String[]> passwd = passwd(root);
    Optional<String[]> entry =
        passwd.stream()
            .filter(line -> line.length > 3)
            .filter(line -> line[0].equals(parts[0]) || line[2].equals(parts[0]))
            .findFirst();
    int uid;
    int gid;
    if (isNumber(parts[0])) {
      uid = Integer.parseInt(parts[0]);
      gid = entry.map(line -> Integer.parseInt(line[3])).orElse(uid == 0 ? 0 : uid);
    } else if (entry.isPresent()) {
      uid = Integer.parseInt(entry.get()[2]);
      gid = Integer.parseInt(entry.get()[3]);
    } else {
      throw new JobUnavailableException(
          "user '" + parts[0] + "' of job " + jobId + " is not in its container's /etc/passwd");
    }
    if (parts.length == 2) {
      if (isNumber(parts[1])) {
        gid = Integer.parseInt(parts[1]);
      } else {
        gid =
            lines(root, "/etc/group").stream()
                .filter(line -> line.length > 2 && line[0].equals(parts[1]))
                .map(line -> Integer.parseInt(line[2]))
                .findFirst()
                .orElseThrow(
                    () ->
                        new JobUnavailableException(
                            "group '"
                                + parts[1]
                                + "' of job "
                                + jobId
                                + " is not in its container's /etc/group"));
      }
    }
    return new int[] {uid, gid};
  }

  private static List<String[]> passwd(Path root) {
    return lines(root, "/etc/passwd");
  }

  private static List<String[]> lines(Path root, String file) {
    try {
      Path path = ContainerRoot.resolve(root, file, true);
      if (!Files.isRegularFile(path)) {
        return List.of();
      }
      return Files.readAllLines(path).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(line -> line.split(":", -1))
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 10;
  }

  /**
   * The {@code cgroup.procs} of each cgroup of the process, under {@code /sys/fs/cgroup}: v1 (one
   * hierarchy per controller set, {@code name=x} as {@code x}) and v2 (at the top, or under {@code
   * unified} on hybrid hosts). Those that do not exist are left out.
   */
  static List<Path> cgroupProcs(long pid) {
    List<Path> files = new ArrayList<>();
    Path base = Path.of("/sys/fs/cgroup");
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
    } catch (IOException e) {
      return List.of();
    }
    for (String line : lines) {
      String[] parts = line.split(":", 3);
      if (parts.length < 3 || !parts[2].startsWith("/")) {
        continue;
      }
      String relative = parts[2].substring(1);
      List<Path> hierarchies = new ArrayList<>();
      if (parts[1].isEmpty()) {
        hierarchies.add(base.resolve("unified"));
        hierarchies.add(base);
      } else {
        String name = parts[1].startsWith("name=") ? parts[1].substring(5) : parts[1];
        hierarchies.add(base.resolve(name));
      }
      for (Path hierarchy : hierarchies) {
        Path procs = hierarchy.resolve(relative).resolve("cgroup.procs");
        if (Files.exists(procs) && !files.contains(procs)) {
          files.add(procs);
          break;
        }
      }
    }
    return List.copyOf(files);
  }
}
